using System.Net;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>
/// Answers remembered under idempotency keys by earlier versions replay byte for byte. The rows below are as the
/// engine wrote them before statuses got explicit numbers: an HTTP status in <c>status_code</c> and the command
/// status's number (0 ok, 1 created, 9 grant not active) inside the response.
/// </summary>
[Collection(RefusalEngine.Name)]
public sealed class StoredAnswerReplayTests(ApiFixture api)
{
    private const string GrantBody = """{"type":"monetary","amount":"50.00","currency":"USD","reason":"Welcome credit","category":"promotional"}""";
    private const string VoidBody = """{"reason":"Issued in error"}""";
    private const string GrantId = "grt_djh60ckr36ma4xbdn1bm";

    private static readonly (string Operation, string Key, string RequestHash, int StatusCode, string Response, long Version)[] Stored =
    [
        ("grant", "grant-fixture-1", "2557b6abb15878eef710b32b4b03251924437d7b27a07d0f553678802fdb71c8", 201,
            """{"Error": null, "Grant": {"Type": "monetary", "Amount": 50, "Reason": "Welcome credit", "Status": "active", "Voided": 0, "Expired": 0, "GrantId": "grt_djh60ckr36ma4xbdn1bm", "Pending": 0, "Category": "promotional", "Consumed": 0, "Priority": 50, "CreatedAt": "2026-12-02T14:00:31.050866+00:00", "ExpiresAt": null, "Remaining": 50, "CreditType": "USD", "EffectiveAt": "2026-12-02T14:00:31.050866+00:00", "CreatedVersion": 1}, "Status": 1, "Version": 1, "Replayed": false, "VoidedAmount": null}""",
            1),
        ("void-grant", "void-fixture-1", "13519b9fc9209a33e782d89bd2f3b23ed9d40102a5bfe7f149c5e6095ff40517", 200,
            """{"Error": null, "Grant": {"Type": "monetary", "Amount": 50, "Reason": "Welcome credit", "Status": "voided", "Voided": 50, "Expired": 0, "GrantId": "grt_djh60ckr36ma4xbdn1bm", "Pending": 0, "Category": "promotional", "Consumed": 0, "Priority": 50, "CreatedAt": "2026-12-02T14:00:31.050866+00:00", "ExpiresAt": null, "Remaining": 0, "CreditType": "USD", "EffectiveAt": "2026-12-02T14:00:31.050866+00:00", "CreatedVersion": 1}, "Status": 0, "Version": 2, "Replayed": false, "VoidedAmount": 50}""",
            2),
        ("void-grant", "void-fixture-2", "13519b9fc9209a33e782d89bd2f3b23ed9d40102a5bfe7f149c5e6095ff40517", 409,
            """{"Error": {"Field": null, "Detail": "Grant grt_djh60ckr36ma4xbdn1bm is voided; only a grant that has not expired or been voided can be voided."}, "Grant": null, "Status": 9, "Version": 2, "Replayed": false, "VoidedAmount": null}""",
            2),
    ];

    [Fact]
    public async Task RecordsOfThePreviousFormat_ReplayTheOriginalAnswersByteForByte()
    {
        var customer = await api.CustomerAsync("stored-answers");
        foreach (var row in Stored)
        {
            await api.ScalarAsync(
                """
                INSERT INTO idempotency_records (customer_id, operation, idempotency_key, request_hash, status_code, response, version)
                VALUES ($1, $2, $3, decode($4, 'hex'), $5, $6::jsonb, $7) RETURNING 1
                """,
                customer, row.Operation, row.Key, row.RequestHash, row.StatusCode, row.Response, row.Version);
        }

        var before = await api.LedgerFingerprintAsync();
        using var http = api.Client();

        var grant = await SendAsync(http, $"/v1/customers/{customer}/credit-grants", "grant-fixture-1", GrantBody);
        var voided = await SendAsync(http, $"/v1/customers/{customer}/credit-grants/{GrantId}/void", "void-fixture-1", VoidBody);
        var refused = await SendAsync(http, $"/v1/customers/{customer}/credit-grants/{GrantId}/void", "void-fixture-2", VoidBody);

        // The bodies the engine answered when it wrote these records.
        Assert.Equal(
            (HttpStatusCode.Created, "{\"grantId\":\"grt_djh60ckr36ma4xbdn1bm\",\"customerId\":\"" + customer + "\",\"type\":\"monetary\",\"creditType\":\"USD\",\"amount\":\"50.00\",\"remaining\":\"50.00\",\"status\":\"active\",\"expiresAt\":null,\"effectiveAt\":\"2026-12-02T14:00:31.050866Z\",\"priority\":50,\"category\":\"promotional\",\"reason\":\"Welcome credit\",\"createdAt\":\"2026-12-02T14:00:31.050866Z\",\"version\":1}", true),
            grant);
        Assert.Equal(
            (HttpStatusCode.OK, "{\"grantId\":\"grt_djh60ckr36ma4xbdn1bm\",\"customerId\":\"" + customer + "\",\"type\":\"monetary\",\"creditType\":\"USD\",\"amount\":\"50.00\",\"remaining\":\"0.00\",\"status\":\"voided\",\"expiresAt\":null,\"effectiveAt\":\"2026-12-02T14:00:31.050866Z\",\"priority\":50,\"category\":\"promotional\",\"reason\":\"Welcome credit\",\"createdAt\":\"2026-12-02T14:00:31.050866Z\",\"version\":2,\"voidedAmount\":\"50.00\"}", true),
            voided);
        Assert.Equal(
            (HttpStatusCode.Conflict, """{"type":"urn:creditledger:problem:grant_not_active","title":"Grant is not active","status":409,"detail":"Grant grt_djh60ckr36ma4xbdn1bm is voided; only a grant that has not expired or been voided can be voided.","code":"grant_not_active"}""", true),
            refused);
        Assert.Equal(before, await api.LedgerFingerprintAsync());
    }

    [Fact]
    public async Task NewRecord_KeepsItsStatusInTheResponseAlone()
    {
        var customer = await api.CustomerAsync("new-answers");
        using var http = api.Client();

        var first = await SendAsync(http, $"/v1/customers/{customer}/credit-grants", "grant-new-1", GrantBody);
        var again = await SendAsync(http, $"/v1/customers/{customer}/credit-grants", "grant-new-1", GrantBody);

        Assert.Equal((HttpStatusCode.Created, false), (first.Status, first.Replayed));
        Assert.Equal((first.Body, true), (again.Body, again.Replayed));
        Assert.Equal(1L, await api.ScalarAsync(
            "SELECT count(*) FROM idempotency_records WHERE customer_id = $1 AND status_code IS NULL AND (response->>'Status')::int = 1", customer));
    }

    private static async Task<(HttpStatusCode Status, string Body, bool Replayed)> SendAsync(HttpClient http, string path, string key, string body)
    {
        using var response = await http.PostWithKeyAsync(path, key, body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.IsReplay());
    }
}
