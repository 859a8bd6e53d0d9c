using CreditLedger.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CreditLedger.Gateway.Tests.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Net.Http.Headers;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c> is for admins only: an admin Bearer key, or the HttpOnly, SameSite=Strict
/// session cookie (Path=/dashboard) that <c>POST /v1/dashboard/session</c> sets for an admin key and for no other.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class OrleansDashboardTests(ApiFixture api)
{
    private static readonly Uri Dashboard = new("/dashboard", UriKind.Relative);
    private static readonly Uri DashboardPage = new("/dashboard/", UriKind.Relative);
    private static readonly Uri Session = new("/v1/dashboard/session", UriKind.Relative);
    private static readonly string[] AdminScope = ["admin"];

    [Fact]
    public async Task Dashboard_NoKey_Unauthenticated()
    {
        using var anonymous = Client(key: null);

        var response = await anonymous.GetAsync(Dashboard);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthenticated", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Str("code"));
    }

    [Fact]
    public async Task Dashboard_NonAdminKey_Forbidden()
    {
        using var client = Client(await api.KeyAsync("dashboard-reader", "read", "credits:write", "invoices:write"));

        var response = await client.GetAsync(Dashboard);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Str("code"));
    }

    [Fact]
    public async Task Dashboard_AdminKey_Served()
    {
        using var admin = Client(ApiFixture.AdminKey);

        var redirect = await admin.GetAsync(Dashboard);
        var response = await admin.GetAsync(DashboardPage);

        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Orleans", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SessionCookie_FromAdminSignIn_IsStrictHttpOnlyAndOpensDashboardOnly()
    {
        using var admin = Client(ApiFixture.AdminKey);

        var signIn = await admin.PostAsync(Session, null);

        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        var cookie = Assert.Single(SetCookies(signIn));
        Assert.Equal("creditledger_dashboard", cookie.Name.Value);
        Assert.Equal("/dashboard", cookie.Path.Value);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, cookie.SameSite);
        Assert.DoesNotContain(ApiFixture.AdminKey, cookie.Value.Value, StringComparison.Ordinal);

        using var browser = Client(key: null);
        var withCookie = new HttpRequestMessage(HttpMethod.Get, DashboardPage);
        withCookie.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        var page = await browser.SendAsync(withCookie);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // The page's data calls carry the cookie too, and the silo's dashboard grains answer them (they collect the
        // cluster's counters once a second, so the first answers after start may not count the silo yet).
        await Eventually.UntilAsync(
            async () =>
            {
                using var counters = new HttpRequestMessage(HttpMethod.Get, new Uri("/dashboard/DashboardCounters", UriKind.Relative));
                counters.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
                var data = await browser.SendAsync(counters);
                Assert.Equal(HttpStatusCode.OK, data.StatusCode);
                return JsonDocument.Parse(await data.Content.ReadAsStringAsync()).RootElement.GetProperty("totalActiveHostCount").GetInt32() >= 1;
            },
            TimeSpan.FromSeconds(30),
            "the dashboard's counters to show an active silo");

        // The cookie is for the dashboard alone: the API does not take it in place of a key.
        var api = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/api-keys", UriKind.Relative));
        api.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(api)).StatusCode);
    }

    [Fact]
    public async Task SessionCookie_NonAdminKey_Refused()
    {
        using var client = Client(await api.KeyAsync("dashboard-writer", "read", "credits:write", "invoices:write"));

        var signIn = await client.PostAsync(Session, null);

        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Empty(SetCookies(signIn));
    }

    [Fact]
    public async Task Dashboard_ForgedCookie_Unauthenticated()
    {
        using var browser = Client(key: null);
        var forged = new HttpRequestMessage(HttpMethod.Get, Dashboard);
        forged.Headers.Add("Cookie", "creditledger_dashboard=CfDJ8forged");

        var response = await browser.SendAsync(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SessionCookie_SignOut_Expires()
    {
        using var admin = Client(ApiFixture.AdminKey);

        var signOut = await admin.DeleteAsync(Session);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        var cookie = Assert.Single(SetCookies(signOut));
        Assert.Equal("creditledger_dashboard", cookie.Name.Value);
        Assert.Equal("/dashboard", cookie.Path.Value);
        Assert.True(cookie.Expires < DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task SessionCookie_KeyRevoked_RefusedOnTheIssuingGatewayAndOnAnother()
    {
        using var admin = Client(ApiFixture.AdminKey);
        var created = await (await admin.PostAsJsonAsync("/v1/api-keys", new { name = "dashboard-revoked", scopes = AdminScope })).JsonAsync(HttpStatusCode.Created);
        using var operatorClient = Client(created.Str("key"));
        var cookie = Assert.Single(SetCookies(await operatorClient.PostAsync(Session, null)));
        await using var other = new SecondGateway(api.ConnectionString);
        await other.InitializeAsync();
        using var browser = Client(key: null);
        using var otherBrowser = other.Client(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false }, key: null);
        Task<HttpResponseMessage> PageAsync(HttpClient client)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, DashboardPage);
            request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
            return client.SendAsync(request);
        }

        // The key ring is the deployment's, in PostgreSQL: a cookie one gateway issued opens the dashboard on another.
        Assert.Equal(HttpStatusCode.OK, (await PageAsync(browser)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PageAsync(otherBrowser)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync(new Uri($"/v1/api-keys/{created.Str("id")}", UriKind.Relative))).StatusCode);

        // At once where it was revoked; on the other gateway within the key cache time (2 s).
        Assert.Equal(HttpStatusCode.Unauthorized, (await PageAsync(browser)).StatusCode);
        var revokedAt = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.UntilAsync(async () => (await PageAsync(otherBrowser)).StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "the other gateway to refuse the session");
        Assert.True(revokedAt.Elapsed < TimeSpan.FromSeconds(5), $"The other gateway took {revokedAt.Elapsed.TotalSeconds:0.0} s.");
    }

    /// <summary>A second gateway (with its own silo) on the fixture's database.</summary>
    private sealed class SecondGateway(string database) : ApiFixture
    {
        protected override string? ExistingDatabase => database;
    }

    private HttpClient Client(string? key) =>
        api.Client(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false }, key);

    private static IList<SetCookieHeaderValue> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? SetCookieHeaderValue.ParseList(values.ToList()) : [];
}
