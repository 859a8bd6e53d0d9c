using System.Net;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>Concurrent HTTP traffic on one customer: applies never overdraw, replays are byte-identical, idempotency keys hold.</summary>
[Collection(SharedEngine.Name)]
public sealed class ConcurrencyTests(ApiFixture api)
{
    [Fact]
    public async Task Apply_200ConcurrentInvoices_NeverExceedAvailable()
    {
        var customer = await api.CustomerAsync("concurrent");
        using var http = api.Client();
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"300.00","currency":"USD","reason":"Prepaid"}""")))
            .JsonAsync(HttpStatusCode.Created);

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            http.PostAsync($"/v1/customers/{customer}/invoices/inv_{i}/apply-credits", ApiFixture.Raw("""{"currency":"USD","total":"2.00"}""")).OkAsync()));

        var applied = answers.Sum(a => decimal.Parse(a.Str("creditApplied"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(300.00m, applied);
        Assert.Equal(150, answers.Count(a => a.Str("creditApplied") == "2.00"));
        // Each covered apply wrote one entry (versions 2..151); once the credits ran out, applies covered nothing and wrote none.
        Assert.Equal(Enumerable.Range(2, 150).Select(v => (long)v), answers.Where(a => a.Str("creditApplied") == "2.00").Select(a => a.GetProperty("version").GetInt64()).Order());
        Assert.All(answers.Where(a => a.Str("creditApplied") == "0.00"), a => Assert.Equal(("2.00", 151L), (a.Str("totalDue"), a.GetProperty("version").GetInt64())));
        Assert.Equal(300m, -(decimal)await api.ScalarAsync("SELECT sum(amount) FROM ledger_entries WHERE customer_id = $1 AND kind = 'applied'", customer));
    }

    [Fact]
    public async Task Apply_50ConcurrentReplays_ByteIdenticalBodiesAndOneApplication()
    {
        var customer = await api.CustomerAsync("replays");
        using var http = api.Client();
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"80.00","currency":"USD","reason":"Prepaid"}""")))
            .JsonAsync(HttpStatusCode.Created);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            http.PostAsync($"/v1/customers/{customer}/invoices/inv_same/apply-credits", ApiFixture.Raw("""{"currency":"USD","total":"150.00"}"""))));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(bodies.Distinct());
        Assert.Equal(49, responses.Count(r => r.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Single() == "true"));
        Assert.Equal(1L, await api.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE customer_id = $1 AND kind = 'applied'", customer));

        // After the invoice is paid and the customer reloaded, the replay is still the original body.
        await http.PostAsync($"/v1/customers/{customer}/invoices/inv_same/pay", null).OkAsync();
        var later = await http.PostAsync($"/v1/customers/{customer}/invoices/inv_same/apply-credits", ApiFixture.Raw("""{"total":"150","currency":"USD"}"""));
        Assert.Equal(bodies[0], await later.Content.ReadAsStringAsync());
        var different = await http.PostAsync($"/v1/customers/{customer}/invoices/inv_same/apply-credits", ApiFixture.Raw("""{"currency":"USD","total":"151.00"}"""));
        Assert.Equal("invoice_already_applied", (await different.JsonAsync(HttpStatusCode.Conflict)).Str("code"));
    }

    [Fact]
    public async Task Grant_IdempotencyKey_ReplaysWithHeader_DifferentBodyConflicts()
    {
        var customer = await api.CustomerAsync("idempotent");
        using var http = api.Client();
        const string Body = """{"type":"monetary","amount":"12.50","currency":"USD","reason":"Service credit"}""";

        async Task<HttpResponseMessage> PostAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{customer}/credit-grants") { Content = ApiFixture.Raw(body) };
            request.Headers.Add("Idempotency-Key", "grant-7f3a");
            return await http.SendAsync(request);
        }

        var first = await PostAsync(Body);
        var again = await PostAsync(Body.Replace("12.50", "12.5", StringComparison.Ordinal));
        var different = await PostAsync(Body.Replace("12.50", "13.00", StringComparison.Ordinal));

        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());
        Assert.Equal("idempotency_key_reused", (await different.JsonAsync(HttpStatusCode.Conflict)).Str("code"));
        Assert.Equal(1L, await api.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE customer_id = $1", customer));
    }
}
