using System.Net;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>
/// An apply is idempotent by its invoice id: an <c>Idempotency-Key</c> sent with it is kept in its entries' audit
/// fields, and no idempotency record is written for it.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class ApplyIdempotencyKeyTests(ApiFixture api)
{
    [Fact]
    public async Task Apply_WithIdempotencyKey_KeptInTheEntryAndNoRecordWritten()
    {
        var customer = await api.CustomerAsync("apply-key");
        using var http = api.Client();
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"10.00","currency":"USD","reason":"Prepaid"}""")))
            .JsonAsync(HttpStatusCode.Created);

        const string Body = """{"currency":"USD","total":"4.00"}""";
        using var first = await http.PostWithKeyAsync($"/v1/customers/{customer}/invoices/inv_1/apply-credits", "apply-key-1", Body);
        using var retried = await http.PostWithKeyAsync($"/v1/customers/{customer}/invoices/inv_1/apply-credits", "apply-key-2", Body);

        Assert.Equal("4.00", (await first.JsonAsync(HttpStatusCode.OK)).Str("creditApplied"));
        Assert.True(retried.IsReplay());
        Assert.Equal("apply-key-1", await api.ScalarTextAsync("SELECT idempotency_key FROM ledger_entries WHERE customer_id = $1 AND kind = 'applied'", customer));
        Assert.Equal(0L, await api.ScalarAsync("SELECT count(*) FROM idempotency_records WHERE customer_id = $1 AND operation = 'apply'", customer));
    }
}
