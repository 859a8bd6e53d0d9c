using System.Net;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>
/// When several checks fail, the documented first one answers (docs/api.md, "When several checks fail"): the
/// request's shape, the customer, the command's own validation, the idempotency key, then the domain's refusals.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class PrecedenceTests(ApiFixture api)
{
    private const string PastExpiry = """{"type":"monetary","amount":"5.00","currency":"USD","reason":"Late","expiresAt":"2020-01-01T00:00:00Z"}""";

    [Fact]
    public async Task RequestShape_BeforeCustomerNotFound()
    {
        using var http = api.Client();

        var response = await http.PostAsync($"/v1/customers/{api.NewId("never")}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"-5","currency":"USD","reason":"x"}"""));

        Assert.Equal("validation_failed", (await response.JsonAsync(HttpStatusCode.BadRequest)).Str("code"));
    }

    [Fact]
    public async Task CustomerNotFound_BeforeTheCommandsOwnValidation()
    {
        using var http = api.Client();

        var response = await http.PostAsync($"/v1/customers/{api.NewId("never")}/credit-grants", ApiFixture.Raw(PastExpiry));

        Assert.Equal("customer_not_found", (await response.JsonAsync(HttpStatusCode.NotFound)).Str("code"));
    }

    [Fact]
    public async Task CommandsOwnValidation_BeforeIdempotencyKey()
    {
        var customer = await api.CustomerAsync("validation-first");
        using var http = api.Client();
        await SendAsync(http, $"/v1/customers/{customer}/credit-grants", "key-1", """{"type":"monetary","amount":"5.00","currency":"USD","reason":"First"}""", HttpStatusCode.Created);

        var response = await SendAsync(http, $"/v1/customers/{customer}/credit-grants", "key-1", PastExpiry, HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", response.Str("code"));
    }

    [Fact]
    public async Task IdempotencyKey_BeforeTheDomainsRefusals()
    {
        var customer = await api.CustomerAsync("key-first");
        using var http = api.Client();
        var grant = await SendAsync(http, $"/v1/customers/{customer}/credit-grants", "grant-1", """{"type":"monetary","amount":"5.00","currency":"USD","reason":"First"}""", HttpStatusCode.Created);
        await SendAsync(http, $"/v1/customers/{customer}/credit-grants/{grant.Str("grantId")}/void", "void-1", """{"reason":"Error"}""", HttpStatusCode.OK);

        // The same key on a grant that does not exist: the key answers, not the missing grant.
        var reused = await SendAsync(http, $"/v1/customers/{customer}/credit-grants/grt_00000000000000000000/void", "void-1", """{"reason":"Error"}""", HttpStatusCode.Conflict);
        // The same request again: the remembered answer, although the grant is voided by now.
        var replayed = await SendAsync(http, $"/v1/customers/{customer}/credit-grants/{grant.Str("grantId")}/void", "void-1", """{"reason":"Error"}""", HttpStatusCode.OK);

        Assert.Equal("idempotency_key_reused", reused.Str("code"));
        Assert.Equal("voided", replayed.Str("status"));
    }

    private static async Task<System.Text.Json.JsonElement> SendAsync(HttpClient http, string path, string key, string body, HttpStatusCode expected)
    {
        using var response = await http.PostWithKeyAsync(path, key, body);
        return await response.JsonAsync(expected);
    }
}
