using System.Net;
using CreditLedger.Gateway.Tests.Api;

namespace CreditLedger.Gateway.Tests.Webhooks;

/// <summary>
/// With the default settings, an endpoint may only be a public http(s) URL: loopback, private addresses, other
/// schemes, credentials in the URL and relative URLs are refused with a 400 naming <c>url</c>.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class WebhookTargetTests(ApiFixture strict)
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.0.5/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("https://user:pass@example.com/hook")]
    [InlineData("/relative")]
    public async Task Create_TargetRefusedByDefault_400NamingUrl(string url)
    {
        using var http = strict.Client();

        var response = await http.PostAsync("/v1/webhook-endpoints", ApiFixture.Json(new { url }));

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
    }
}
