using System.Net;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>Per-key rate limits when configured: over the limit is 429 <c>rate_limited</c> with Retry-After; other keys are not affected.</summary>
public sealed class RateLimitTests(RateLimitTests.LimitedApi api) : IClassFixture<RateLimitTests.LimitedApi>
{
    [Fact]
    public async Task Requests_OverTheKeysBurst_Get429WithRetryAfter_OtherKeysUnaffected()
    {
        var limited = await api.KeyAsync("limited", "read");
        var other = await api.KeyAsync("other", "read");
        using var client = api.Client(limited);
        using var otherClient = api.Client(other);

        var first = await client.GetAsync(new Uri("/v1/customers", UriKind.Relative));
        var second = await client.GetAsync(new Uri("/v1/customers", UriKind.Relative));
        var third = await client.GetAsync(new Uri("/v1/customers", UriKind.Relative));
        var fromOther = await otherClient.GetAsync(new Uri("/v1/customers", UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal("rate_limited", (await third.JsonAsync(HttpStatusCode.TooManyRequests)).Str("code"));
        Assert.InRange(int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        Assert.Equal(HttpStatusCode.OK, fromOther.StatusCode);
    }

    /// <summary>The API with a limit of 2 requests per key per hour.</summary>
    public sealed class LimitedApi : ApiFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("CreditLedger:RateLimit:PermitsPerPeriod", "2"),
            new("CreditLedger:RateLimit:Period", "01:00:00"),
        ];
    }
}
