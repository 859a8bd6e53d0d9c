using System.Net;
using System.Text;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>
/// Malformed, mistyped, missing, out-of-range and oversized input on every kind of route: each gets its documented
/// 4xx problem with its stable code (and the field, for validation errors), never a 500, and the ledger, invoices,
/// webhook endpoints, idempotency records, customers and keys are unchanged afterwards.
/// </summary>
[Collection(RefusalEngine.Name)]
public sealed class BadInputTests(ApiFixture api)
{
    private const string Grants = "/v1/customers/{c}/credit-grants";
    private const string Apply = "/v1/customers/{c}/invoices/inv_bad/apply-credits";
    private const string Schedules = "/v1/customers/{c}/credit-schedules";
    private const string TopUps = "/v1/customers/{c}/credit-top-ups/JPY";

    private static readonly Dictionary<string, Case> Cases = new Case[]
    {
        new("malformed json", "POST", Grants, """{"type":""", 400, "validation_failed", "body"),
        new("truncated json", "POST", Grants, """{"type":"monetary","amount":"5""", 400, "validation_failed", "body"),
        new("array body", "POST", Grants, "[1,2]", 400, "validation_failed", "body"),
        new("string body", "POST", Grants, "\"grant\"", 400, "validation_failed", "body"),
        new("empty body", "POST", Grants, "", 400, "validation_failed", "body"),
        new("trailing comma", "POST", Grants, """{"type":"monetary",}""", 400, "validation_failed", "body"),
        new("comment in json", "POST", Grants, """{/* x */"type":"monetary"}""", 400, "validation_failed", "body"),
        new("text/plain", "POST", Grants, Grant(), 415, "unsupported_media_type", null, ContentType: "text/plain"),
        new("form content type", "POST", Grants, Grant(), 415, "unsupported_media_type", null, ContentType: "application/x-www-form-urlencoded"),
        new("missing type", "POST", Grants, """{"amount":"5.00","currency":"USD","reason":"r"}""", 400, "validation_failed", "type"),
        new("unknown type", "POST", Grants, Grant(type: "\"credits\""), 400, "validation_failed", "type"),
        new("numeric type", "POST", Grants, Grant(type: "5"), 400, "validation_failed", "type"),
        new("missing amount", "POST", Grants, """{"type":"monetary","currency":"USD","reason":"r"}""", 400, "validation_failed", "amount"),
        new("zero amount", "POST", Grants, Grant(amount: "\"0\""), 400, "validation_failed", "amount"),
        new("zero number amount", "POST", Grants, Grant(amount: "0.00"), 400, "validation_failed", "amount"),
        new("negative amount", "POST", Grants, Grant(amount: "\"-5\""), 400, "validation_failed", "amount"),
        new("negative number amount", "POST", Grants, Grant(amount: "-5"), 400, "validation_failed", "amount"),
        new("exponent amount", "POST", Grants, Grant(amount: "\"1e3\""), 400, "validation_failed", "amount"),
        new("exponent number amount", "POST", Grants, Grant(amount: "1e3"), 400, "validation_failed", "amount"),
        new("spaced amount", "POST", Grants, Grant(amount: "\" 5\""), 400, "validation_failed", "amount"),
        new("10.001 USD", "POST", Grants, Grant(amount: "\"10.001\""), 400, "validation_failed", "amount"),
        new("1.5 JPY", "POST", Grants, Grant(amount: "\"1.5\"", currency: "JPY"), 400, "validation_failed", "amount"),
        new("above maximum", "POST", Grants, Grant(amount: "\"1000000000000.01\""), 400, "validation_failed", "amount"),
        new("huge amount", "POST", Grants, Grant(amount: "\"99999999999999999999999999\""), 400, "validation_failed", "amount"),
        new("boolean amount", "POST", Grants, Grant(amount: "true"), 400, "validation_failed", "amount"),
        new("empty amount", "POST", Grants, Grant(amount: "\"\""), 400, "validation_failed", "amount"),
        new("amount 5.", "POST", Grants, Grant(amount: "\"5.\""), 400, "validation_failed", "amount"),
        new("amount .5", "POST", Grants, Grant(amount: "\".5\""), 400, "validation_failed", "amount"),
        new("unknown currency", "POST", Grants, Grant(currency: "XYZ"), 400, "validation_failed", "currency"),
        new("lower-case currency", "POST", Grants, Grant(currency: "usd"), 400, "validation_failed", "currency"),
        new("monetary without currency", "POST", Grants, """{"type":"monetary","amount":"5.00","reason":"r"}""", 400, "validation_failed", "currency"),
        new("monetary with unit", "POST", Grants, """{"type":"monetary","amount":"5.00","currency":"USD","unit":"api_calls","reason":"r"}""", 400, "validation_failed", "unit"),
        new("upper-case unit", "POST", Grants, Units(unit: "API_CALLS"), 400, "validation_failed", "unit"),
        new("unit starting with digit", "POST", Grants, Units(unit: "1calls"), 400, "validation_failed", "unit"),
        new("unit of 65 characters", "POST", Grants, Units(unit: "a" + new string('b', 64)), 400, "validation_failed", "unit"),
        new("units with currency", "POST", Grants, """{"type":"units","amount":"5","unit":"api_calls","currency":"USD","reason":"r"}""", 400, "validation_failed", "currency"),
        new("units seven decimals", "POST", Grants, Units(amount: "\"1.0000001\""), 400, "validation_failed", "amount"),
        new("missing reason", "POST", Grants, """{"type":"monetary","amount":"5.00","currency":"USD"}""", 400, "validation_failed", "reason"),
        new("empty reason", "POST", Grants, Grant(reason: "\"\""), 400, "validation_failed", "reason"),
        new("blank reason", "POST", Grants, Grant(reason: "\"   \""), 400, "validation_failed", "reason"),
        new("reason with NUL", "POST", Grants, Grant(reason: "\"Welcome \\u0000credit\""), 400, "validation_failed", "reason"),
        new("10 KB reason", "POST", Grants, Grant(reason: "\"" + new string('r', 10_240) + "\""), 400, "validation_failed", "reason"),
        new("numeric reason", "POST", Grants, Grant(reason: "123"), 400, "validation_failed", "reason"),
        new("past expiresAt", "POST", Grants, Grant(extra: ""","expiresAt":"2020-01-01T00:00:00Z" """), 400, "validation_failed", "expiresAt"),
        new("word expiresAt", "POST", Grants, Grant(extra: ""","expiresAt":"tomorrow" """), 400, "validation_failed", "expiresAt"),
        new("zoneless expiresAt", "POST", Grants, Grant(extra: ""","expiresAt":"2030-01-01T00:00:00" """), 400, "validation_failed", "expiresAt"),
        new("expiresAt before effectiveAt", "POST", Grants, Grant(extra: ""","effectiveAt":"2031-01-02T00:00:00Z","expiresAt":"2031-01-01T00:00:00Z" """), 400, "validation_failed", "expiresAt"),
        new("effectiveAt an hour ago", "POST", Grants, Grant(extra: $$""","effectiveAt":"{{DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}}" """), 400, "validation_failed", "effectiveAt"),
        new("priority 101", "POST", Grants, Grant(extra: ""","priority":101"""), 400, "validation_failed", "priority"),
        new("priority -1", "POST", Grants, Grant(extra: ""","priority":-1"""), 400, "validation_failed", "priority"),
        new("string priority", "POST", Grants, Grant(extra: ""","priority":"50" """), 400, "validation_failed", "priority"),
        new("fractional priority", "POST", Grants, Grant(extra: ""","priority":1.5"""), 400, "validation_failed", "priority"),
        new("unknown category", "POST", Grants, Grant(extra: ""","category":"free" """), 400, "validation_failed", "category"),
        new("unknown field", "POST", Grants, Grant(extra: ""","expires_at":"2030-01-01T00:00:00Z" """), 400, "validation_failed", "expires_at"),
        new("repeated field", "POST", Grants, Grant(extra: ""","amount":"6.00" """), 400, "validation_failed", "amount"),
        new("deep nesting", "POST", Grants, new string('[', 40) + new string(']', 40), 400, "validation_failed", "body"),
        new("oversized body", "POST", Grants, Grant(reason: "\"" + new string('r', 70_000) + "\""), 413, "payload_too_large", null),
        new("oversized body, chunked", "POST", Grants, Grant(reason: "\"" + new string('r', 70_000) + "\""), 413, "payload_too_large", null, Chunked: true),
        new("malformed json, chunked", "POST", Grants, Grant(reason: "\"" + new string('r', 20_000) + "\"", extra: ","), 400, "validation_failed", "body", Chunked: true),
        new("idempotency key of 256", "POST", Grants, Grant(), 400, "validation_failed", "Idempotency-Key", IdempotencyKey: new string('k', 256)),
        new("customer id with space", "GET", "/v1/customers/a%20b/credit-balances", null, 400, "validation_failed", "customerId"),
        new("customer id of 200", "GET", "/v1/customers/" + new string('c', 200) + "/credit-balances", null, 400, "validation_failed", "customerId"),
        new("customer id with dollar", "POST", "/v1/customers/a$b/credit-grants", Grant(), 400, "validation_failed", "customerId"),
        new("invoice id of 200", "POST", "/v1/customers/{c}/invoices/" + new string('i', 200) + "/apply-credits", """{"currency":"USD","total":"1.00"}""", 400, "validation_failed", "invoiceId"),
        new("grant id with star", "POST", "/v1/customers/{c}/credit-grants/g*1/void", """{"reason":"r"}""", 400, "validation_failed", "grantId"),
        new("unknown customer", "POST", "/v1/customers/never-created/credit-grants", Grant(), 404, "customer_not_found", null),
        new("unknown customer balances", "GET", "/v1/customers/never-created/credit-balances", null, 404, "customer_not_found", null),
        new("unknown grant", "POST", "/v1/customers/{c}/credit-grants/grt_missing/void", """{"reason":"r"}""", 404, "grant_not_found", null),
        new("unknown invoice pay", "POST", "/v1/customers/{c}/invoices/inv_missing/pay", null, 404, "invoice_not_found", null),
        new("unknown invoice get", "GET", "/v1/customers/{c}/invoices/inv_missing", null, 404, "invoice_not_found", null),
        new("apply empty object", "POST", Apply, "{}", 400, "validation_failed", "body"),
        new("apply currency without total", "POST", Apply, """{"currency":"USD"}""", 400, "validation_failed", "total"),
        new("apply negative total", "POST", Apply, """{"currency":"USD","total":"-1"}""", 400, "validation_failed", "total"),
        new("apply usage not array", "POST", Apply, """{"usage":{"unit":"api_calls"}}""", 400, "validation_failed", "usage"),
        new("apply empty usage", "POST", Apply, """{"usage":[]}""", 400, "validation_failed", "usage"),
        new("apply usage without quantity", "POST", Apply, """{"usage":[{"unit":"api_calls"}]}""", 400, "validation_failed", "usage[0].quantity"),
        new("apply repeated unit", "POST", Apply, """{"usage":[{"unit":"api_calls","quantity":"1"},{"unit":"api_calls","quantity":"2"}]}""", 400, "validation_failed", "usage[1].unit"),
        new("apply seven-decimal quantity", "POST", Apply, """{"usage":[{"unit":"api_calls","quantity":"1.0000001"}]}""", 400, "validation_failed", "usage[0].quantity"),
        new("apply usage item not object", "POST", Apply, """{"usage":["api_calls"]}""", 400, "validation_failed", "usage[0]"),
        new("apply unknown field", "POST", Apply, """{"currency":"USD","total":"1.00","tax":"0.10"}""", 400, "validation_failed", "tax"),
        new("pay with a field", "POST", "/v1/customers/{c}/invoices/inv_missing/pay", """{"x":1}""", 400, "validation_failed", "x"),
        new("void grant without reason", "POST", "/v1/customers/{c}/credit-grants/grt_missing/void", "{}", 400, "validation_failed", "reason"),
        new("limit 0", "GET", "/v1/customers/{c}/credit-transactions?limit=0", null, 400, "validation_failed", "limit"),
        new("limit 201", "GET", "/v1/customers/{c}/credit-transactions?limit=201", null, 400, "validation_failed", "limit"),
        new("limit word", "GET", "/v1/customers?limit=ten", null, 400, "validation_failed", "limit"),
        new("garbage cursor", "GET", "/v1/customers/{c}/credit-transactions?cursor=%25%25garbage", null, 400, "validation_failed", "cursor"),
        new("cursor of another list", "GET", "/v1/customers/{c}/credit-grants?cursor=dHJhbnNhY3Rpb25zOjI", null, 400, "validation_failed", "cursor"),
        new("expiringWithinDays 0", "GET", "/v1/customers/{c}/credit-balances?expiringWithinDays=0", null, 400, "validation_failed", "expiringWithinDays"),
        new("expiringWithinDays 366", "GET", "/v1/customers/{c}/credit-balances?expiringWithinDays=366", null, 400, "validation_failed", "expiringWithinDays"),
        new("unknown grant status", "GET", "/v1/customers/{c}/credit-grants?status=frozen", null, 400, "validation_failed", "status"),
        new("bad credit type filter", "GET", "/v1/customers/{c}/credit-transactions?creditType=US-D", null, 400, "validation_failed", "creditType"),
        new("customer email", "PUT", "/v1/customers/{c}", """{"email":"not-an-email"}""", 400, "validation_failed", "email"),
        new("customer name of 201", "PUT", "/v1/customers/{c}", $$"""{"name":"{{new string('n', 201)}}"}""", 400, "validation_failed", "name"),
        new("customer array body", "PUT", "/v1/customers/{c}", "[]", 400, "validation_failed", "body"),
        new("customer numeric name", "PUT", "/v1/customers/{c}", """{"name":7}""", 400, "validation_failed", "name"),
        new("api key unknown scope", "POST", "/v1/api-keys", """{"name":"x","scopes":["superuser"]}""", 400, "validation_failed", "scopes"),
        new("api key no scopes", "POST", "/v1/api-keys", """{"name":"x","scopes":[]}""", 400, "validation_failed", "scopes"),
        new("api key repeated scope", "POST", "/v1/api-keys", """{"name":"x","scopes":["read","read"]}""", 400, "validation_failed", "scopes"),
        new("api key without name", "POST", "/v1/api-keys", """{"scopes":["read"]}""", 400, "validation_failed", "name"),
        new("revoke unknown key", "DELETE", "/v1/api-keys/key_missing", null, 404, "api_key_not_found", null),
        new("enable unknown endpoint", "POST", "/v1/webhook-endpoints/we_missing/enable", null, 404, "webhook_endpoint_not_found", null),
        new("schedule missing every", "POST", Schedules, """{"type":"units","amount":"10","unit":"api_calls","reason":"Allowance"}""", 400, "validation_failed", "every"),
        new("schedule every year", "POST", Schedules, Schedule(every: "\"year\""), 400, "validation_failed", "every"),
        new("schedule every PT30S", "POST", Schedules, Schedule(every: "\"PT30S\""), 400, "validation_failed", "every"),
        new("schedule every PT0M", "POST", Schedules, Schedule(every: "\"PT0M\""), 400, "validation_failed", "every"),
        new("schedule every P1M", "POST", Schedules, Schedule(every: "\"P1M\""), 400, "validation_failed", "every"),
        new("schedule every number", "POST", Schedules, Schedule(every: "60"), 400, "validation_failed", "every"),
        new("schedule zero periods", "POST", Schedules, Schedule(extra: ""","periods":0"""), 400, "validation_failed", "periods"),
        new("schedule 10,001 periods", "POST", Schedules, Schedule(extra: ""","periods":10001"""), 400, "validation_failed", "periods"),
        new("schedule fractional periods", "POST", Schedules, Schedule(extra: ""","periods":1.5"""), 400, "validation_failed", "periods"),
        new("schedule startsAt a day ago", "POST", Schedules, Schedule(extra: ""","startsAt":"2000-01-01T00:00:00Z" """), 400, "validation_failed", "startsAt"),
        new("schedule startsAt without zone", "POST", Schedules, Schedule(extra: ""","startsAt":"2030-01-01T00:00:00" """), 400, "validation_failed", "startsAt"),
        new("schedule rollover a number", "POST", Schedules, Schedule(extra: ""","rollover":500"""), 400, "validation_failed", "rollover"),
        new("schedule rollover without maxAmount", "POST", Schedules, Schedule(extra: ""","rollover":{}"""), 400, "validation_failed", "rollover.maxAmount"),
        new("schedule rollover zero", "POST", Schedules, Schedule(extra: ""","rollover":{"maxAmount":"0"}"""), 400, "validation_failed", "rollover.maxAmount"),
        new("schedule rollover unknown field", "POST", Schedules, Schedule(extra: ""","rollover":{"maxAmount":"5","percent":50}"""), 400, "validation_failed", "rollover.percent"),
        new("schedule rollover too precise", "POST", Schedules, """{"type":"monetary","amount":"5.00","currency":"USD","reason":"r","every":"month","rollover":{"maxAmount":"1.005"}}""", 400, "validation_failed", "rollover.maxAmount"),
        new("schedule expiresAt", "POST", Schedules, Schedule(extra: ""","expiresAt":"2030-01-01T00:00:00Z" """), 400, "validation_failed", "expiresAt"),
        new("schedule priority 101", "POST", Schedules, Schedule(extra: ""","priority":101"""), 400, "validation_failed", "priority"),
        new("schedule ending after 9999", "POST", Schedules, Schedule(every: "\"P3660D\"", extra: ""","periods":10000"""), 400, "validation_failed", "periods"),
        new("schedule starting in 9999", "POST", Schedules, Schedule(extra: ""","startsAt":"9999-12-15T00:00:00Z" """), 400, "validation_failed", "startsAt"),
        new("schedule zero amount", "POST", Schedules, Schedule(amount: "\"0\""), 400, "validation_failed", "amount"),
        new("schedule unknown", "GET", Schedules + "/sch_missing", null, 404, "schedule_not_found", null),
        new("schedule bad id", "GET", Schedules + "/sch%20bad", null, 400, "validation_failed", "scheduleId"),
        new("schedule bad cursor", "GET", Schedules + "?cursor=nope", null, 400, "validation_failed", "cursor"),
        new("schedule cursor of no schedule", "GET", Schedules + "?cursor=" + CreditLedger.Gateway.Api.Cursor.Encode("schedules", "sch_nope"), null, 400, "validation_failed", "cursor"),
        new("cancel unknown schedule", "POST", Schedules + "/sch_missing/cancel", """{"reason":"Done"}""", 404, "schedule_not_found", null),
        new("cancel without reason", "POST", Schedules + "/sch_missing/cancel", "{}", 400, "validation_failed", "reason"),
        new("schedules of unknown customer", "GET", "/v1/customers/nobody-at-all/credit-schedules", null, 404, "customer_not_found", null),
        new("top-up rule target below threshold", "PUT", TopUps, """{"threshold":"10.00","targetBalance":"5.00"}""", 400, "validation_failed", "targetBalance"),
        new("top-up rule target equal threshold", "PUT", TopUps, """{"threshold":"10.00","targetBalance":"10"}""", 400, "validation_failed", "targetBalance"),
        new("top-up rule missing target", "PUT", TopUps, """{"threshold":"10.00"}""", 400, "validation_failed", "targetBalance"),
        new("top-up rule negative threshold", "PUT", TopUps, """{"threshold":"-1","targetBalance":"5.00"}""", 400, "validation_failed", "threshold"),
        new("top-up rule too precise", "PUT", TopUps, """{"threshold":"1.001","targetBalance":"5.00"}""", 400, "validation_failed", "threshold"),
        new("top-up rule unknown field", "PUT", TopUps, """{"threshold":"1","targetBalance":"5","max":"9"}""", 400, "validation_failed", "max"),
        new("top-up rule bad credit type", "PUT", "/v1/customers/{c}/credit-top-ups/Not-A-Type", """{"threshold":"1","targetBalance":"5"}""", 400, "validation_failed", "creditType"),
        new("top-up rule missing", "GET", "/v1/customers/{c}/credit-top-ups/EUR", null, 404, "top_up_rule_not_found", null),
        new("top-up rule delete missing", "DELETE", "/v1/customers/{c}/credit-top-ups/EUR", null, 404, "top_up_rule_not_found", null),
        new("top-up request unknown", "GET", TopUps + "/requests/tur_404", null, 404, "top_up_request_not_found", null),
        new("top-up request fail unknown", "POST", TopUps + "/requests/tur_404/fail", """{"reason":"Card declined"}""", 404, "top_up_request_not_found", null),
        new("top-up request fail without reason", "POST", TopUps + "/requests/tur_404/fail", "{}", 400, "validation_failed", "reason"),
        new("grant for a request not outstanding", "POST", Grants, Grant(extra: ""","topUpRequestId":"tur_1" """), 409, "top_up_request_not_outstanding", null),
        new("grant with a bad request id", "POST", Grants, Grant(extra: ""","topUpRequestId":"tur 1" """), 400, "validation_failed", "topUpRequestId"),
        new("enable from a word", "POST", "/v1/webhook-endpoints/we_missing/enable", """{"from":"yesterday"}""", 400, "validation_failed", "from"),
        new("enable unknown field", "POST", "/v1/webhook-endpoints/we_missing/enable", """{"since":"2026-01-01T00:00:00Z"}""", 400, "validation_failed", "since"),
        new("rotate unknown endpoint", "POST", "/v1/webhook-endpoints/we_missing/rotate-secret", null, 404, "webhook_endpoint_not_found", null),
        new("wrong method", "GET", Apply, null, 405, "method_not_allowed", null),
        new("unknown route", "GET", "/v1/nothing-here", null, 404, "not_found", null),
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Fact]
    public void Suite_HasAtLeast60Cases()
    {
        Assert.True(Cases.Count >= 60, $"{Cases.Count} cases");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task BadInput_AnswersDocumentedProblem_AndChangesNothing(string name)
    {
        var testCase = Cases[name];
        var customer = await api.OnceAsync("bad-input-customer", async () =>
        {
            var id = await api.CustomerAsync("bad");
            using var http = api.Client();
            await (await http.PostAsync($"/v1/customers/{id}/credit-grants", ApiFixture.Raw(Grant()))).JsonAsync(HttpStatusCode.Created);
            return id;
        });
        var before = await api.LedgerFingerprintAsync();
        using var client = api.Client();
        using var request = new HttpRequestMessage(new HttpMethod(testCase.Method), testCase.Path.Replace("{c}", customer, StringComparison.Ordinal));
        if (testCase.Body is not null)
        {
            // Chunked: no Content-Length, so the gateway learns the size only by reading the body.
            request.Content = testCase.Chunked
                ? new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(testCase.Body)))
                : new ByteArrayContent(Encoding.UTF8.GetBytes(testCase.Body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", testCase.ContentType);
        }

        if (testCase.IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", testCase.IdempotencyKey);
        }

        var response = await client.SendAsync(request);
        var problem = await response.JsonAsync((HttpStatusCode)testCase.Status);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(testCase.Code, problem.Str("code"));
        Assert.Equal(testCase.Status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.Str("detail")));
        if (testCase.Field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(testCase.Field, out var messages), $"errors has no '{testCase.Field}': {problem}");
            Assert.NotEmpty(messages.EnumerateArray());
        }

        Assert.Equal(before, await api.LedgerFingerprintAsync());
    }

    private static string Grant(string type = "\"monetary\"", string amount = "\"5.00\"", string currency = "USD", string reason = "\"Welcome credit\"", string extra = "") =>
        $$"""{"type":{{type}},"amount":{{amount}},"currency":"{{currency}}","reason":{{reason}}{{extra}}}""";

    private static string Schedule(string every = "\"month\"", string amount = "\"10\"", string extra = "") =>
        $$"""{"type":"units","amount":{{amount}},"unit":"api_calls","reason":"Monthly allowance","every":{{every}}{{extra}}}""";

    private static string Units(string unit = "api_calls", string amount = "\"5\"") =>
        $$"""{"type":"units","amount":{{amount}},"unit":"{{unit}}","reason":"Purchased package"}""";

    private sealed record Case(
        string Name, string Method, string Path, string? Body, int Status, string Code, string? Field, string ContentType = "application/json", string? IdempotencyKey = null, bool Chunked = false);

    // A body of unknown length, sent in pieces of 4 KiB.
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 4096));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], cancellationToken);
    }
}
