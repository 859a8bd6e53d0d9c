using System.Net;
using System.Text.Json;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>
/// Every route of the API against every kind of caller: no key and a revoked key get 401 <c>unauthenticated</c>; a
/// key without the route's scope gets 403 <c>forbidden</c>; the route's scope or admin gets its 2xx answer.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class AuthMatrixTests(ApiFixture api)
{
    private static readonly string[] Callers = ["none", "revoked", "admin", "credits:write", "invoices:write", "read"];

    private static readonly Dictionary<string, (string Scope, Func<ApiFixture, Setup, Task<HttpRequestMessage>> Build)> Routes = new()
    {
        ["POST /v1/api-keys"] = ("admin", (_, _) => Request("POST", "/v1/api-keys", """{"name":"matrix","scopes":["read"]}""")),
        ["GET /v1/api-keys"] = ("admin", (_, _) => Request("GET", "/v1/api-keys")),
        ["DELETE /v1/api-keys/{id}"] = ("admin", (_, s) => Request("DELETE", $"/v1/api-keys/{s.SpareKeyId}")),
        ["PUT /v1/customers/{c}"] = ("credits:write", (_, s) => Request("PUT", $"/v1/customers/{s.Customer}", """{"name":"Acme"}""")),
        ["GET /v1/customers"] = ("read", (_, _) => Request("GET", "/v1/customers")),
        ["GET /v1/customers/{c}"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}")),
        ["POST credit-grants"] = ("credits:write", (_, s) => Request("POST", $"/v1/customers/{s.Customer}/credit-grants", GrantBody)),
        ["GET credit-grants"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}/credit-grants")),
        ["GET credit-grants/{id}"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}/credit-grants/{s.GrantId}")),
        ["POST credit-grants/{id}/void"] = ("credits:write", async (a, s) =>
            await Request("POST", $"/v1/customers/{s.Customer}/credit-grants/{await NewGrantAsync(a, s.Customer)}/void", """{"reason":"Matrix"}""")),
        ["POST credit-schedules"] = ("credits:write", (_, s) => Request("POST", $"/v1/customers/{s.Customer}/credit-schedules", ScheduleBody)),
        ["GET credit-schedules"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}/credit-schedules")),
        ["GET credit-schedules/{id}"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}/credit-schedules/{s.ScheduleId}")),
        ["POST credit-schedules/{id}/cancel"] = ("credits:write", async (a, s) =>
            await Request("POST", $"/v1/customers/{s.Customer}/credit-schedules/{await NewScheduleAsync(a, s.Customer)}/cancel", """{"reason":"Matrix"}""")),
        ["PUT credit-top-ups"] = ("credits:write", (_, s) => Request("PUT", $"/v1/customers/{s.Customer}/credit-top-ups/EUR", """{"threshold":"1.00","targetBalance":"2.00"}""")),
        ["GET credit-top-ups"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}/credit-top-ups/USD")),
        ["DELETE credit-top-ups"] = ("credits:write", async (a, s) => await Request("DELETE", $"/v1/customers/{await NewTopUpRuleAsync(a, s.Customer)}/credit-top-ups/USD")),
        ["GET credit-top-ups request"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}/credit-top-ups/USD/requests/{s.TopUpRequestId}")),
        ["POST credit-top-ups request fail"] = ("credits:write", (_, s) => Request("POST", $"/v1/customers/{s.Customer}/credit-top-ups/USD/requests/{s.TopUpRequestId}/fail", """{"reason":"Matrix"}""")),
        ["GET credit-balances"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}/credit-balances")),
        ["GET credit-transactions"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}/credit-transactions")),
        ["POST apply-credits"] = ("invoices:write", (_, s) => Request("POST", $"/v1/customers/{s.Customer}/invoices/inv_apply/apply-credits", """{"currency":"USD","total":"1.00"}""")),
        ["POST pay"] = ("invoices:write", (_, s) => Request("POST", $"/v1/customers/{s.Customer}/invoices/inv_pay/pay")),
        ["POST void invoice"] = ("invoices:write", (_, s) => Request("POST", $"/v1/customers/{s.Customer}/invoices/inv_void/void")),
        ["GET invoice"] = ("read", (_, s) => Request("GET", $"/v1/customers/{s.Customer}/invoices/inv_pay")),
        ["GET /v1/reports/credits"] = ("read", (_, _) => Request("GET", "/v1/reports/credits")),
        ["PUT credit-alerts"] = ("credits:write", (_, s) => Request("PUT", $"/v1/customers/{s.Customer}/credit-alerts/USD", """{"threshold":"10.00"}""")),
        ["POST /v1/webhook-endpoints"] = ("admin", (_, _) => Request("POST", "/v1/webhook-endpoints", WebhookBody)),
        ["GET /v1/webhook-endpoints"] = ("admin", (_, _) => Request("GET", "/v1/webhook-endpoints")),
        ["GET /v1/webhook-endpoints/{id}"] = ("admin", (_, s) => Request("GET", $"/v1/webhook-endpoints/{s.EndpointId}")),
        ["GET /v1/webhook-endpoints/{id}/deliveries"] = ("admin", (_, s) => Request("GET", $"/v1/webhook-endpoints/{s.EndpointId}/deliveries")),
        ["DELETE /v1/webhook-endpoints/{id}"] = ("admin", async (a, _) => await Request("DELETE", $"/v1/webhook-endpoints/{await NewEndpointAsync(a)}")),
        ["POST /v1/webhook-endpoints/{id}/enable"] = ("admin", (_, s) => Request("POST", $"/v1/webhook-endpoints/{s.EndpointId}/enable")),
        ["POST /v1/webhook-endpoints/{id}/rotate-secret"] = ("admin", async (a, _) => await Request("POST", $"/v1/webhook-endpoints/{await NewEndpointAsync(a)}/rotate-secret")),
        ["POST /v1/dashboard/session"] = ("admin", (_, _) => Request("POST", "/v1/dashboard/session")),
        ["DELETE /v1/dashboard/session"] = ("admin", (_, _) => Request("DELETE", "/v1/dashboard/session")),
    };

    private const string WebhookBody = """{"url":"https://hooks.example.com/credits","events":["account.credits.granted"]}""";

    private const string GrantBody = """{"type":"monetary","amount":"5.00","currency":"USD","reason":"Matrix"}""";

    private const string ScheduleBody = """{"type":"units","amount":"10","unit":"api_calls","reason":"Matrix","every":"month"}""";

    public static TheoryData<string, string> Cells()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes.Keys)
        {
            foreach (var caller in Callers)
            {
                data.Add(route, caller);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Route_Caller_GetsDocumentedStatus(string route, string caller)
    {
        var setup = await api.OnceAsync("matrix", () => Setup.CreateAsync(api));
        var (scope, build) = Routes[route];
        using var request = await build(api, setup);
        using var client = api.Client(setup.Keys[caller]);

        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        if (caller is "none" or "revoked")
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthenticated", JsonDocument.Parse(body).RootElement.Str("code"));
        }
        else if (caller == scope || caller == "admin")
        {
            Assert.True(response.IsSuccessStatusCode, $"{route} as {caller}: {(int)response.StatusCode} {body}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("forbidden", JsonDocument.Parse(body).RootElement.Str("code"));
        }
    }

    [Fact]
    public async Task Matrix_CoversEveryMappedV1Route()
    {
        using var client = api.Client();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, Method: op.Name)))
            .Where(op => op.Name.StartsWith("/v1/", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(Routes.Count, operations.Count);
    }

    private static Task<HttpRequestMessage> Request(string method, string path, string? body = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = ApiFixture.Raw(body);
        }

        return Task.FromResult(request);
    }

    private static async Task<string> NewGrantAsync(ApiFixture api, string customer)
    {
        using var admin = api.Client();
        var grant = await (await admin.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw(GrantBody))).JsonAsync(HttpStatusCode.Created);
        return grant.Str("grantId");
    }

    private static async Task<string> NewScheduleAsync(ApiFixture api, string customer)
    {
        using var admin = api.Client();
        var schedule = await (await admin.PostAsync($"/v1/customers/{customer}/credit-schedules", ApiFixture.Raw(ScheduleBody))).JsonAsync(HttpStatusCode.Created);
        return schedule.Str("scheduleId");
    }

    // A customer of its own with a USD top-up rule (each DELETE removes one).
    private static async Task<string> NewTopUpRuleAsync(ApiFixture api, string customer)
    {
        var own = await api.CustomerAsync(customer + "-topup");
        using var admin = api.Client();
        await admin.PutAsync($"/v1/customers/{own}/credit-top-ups/USD", ApiFixture.Raw("""{"threshold":"1.00","targetBalance":"2.00"}""")).OkAsync();
        return own;
    }

    private static async Task<string> NewEndpointAsync(ApiFixture api)
    {
        using var admin = api.Client();
        var endpoint = await (await admin.PostAsync("/v1/webhook-endpoints", ApiFixture.Raw(WebhookBody))).JsonAsync(HttpStatusCode.Created);
        return endpoint.Str("id");
    }

    private sealed record Setup(string Customer, string GrantId, string ScheduleId, string TopUpRequestId, string SpareKeyId, string EndpointId, Dictionary<string, string?> Keys)
    {
        public static async Task<Setup> CreateAsync(ApiFixture api)
        {
            var customer = await api.CustomerAsync("matrix");
            using var admin = api.Client();
            // A USD rule above everything the customer will have: the first grant's entry requests a top-up, which a
            // failed charge fails (failing it again answers it again, whoever asks).
            await admin.PutAsync($"/v1/customers/{customer}/credit-top-ups/USD", ApiFixture.Raw("""{"threshold":"1000.00","targetBalance":"2000.00"}""")).OkAsync();
            var grantId = await NewGrantAsync(api, customer);
            var rule = await admin.GetAsync($"/v1/customers/{customer}/credit-top-ups/USD").OkAsync();
            var topUpRequestId = rule.GetProperty("outstandingRequest").Str("requestId");
            await admin.PostAsync($"/v1/customers/{customer}/credit-top-ups/USD/requests/{topUpRequestId}/fail", ApiFixture.Raw("""{"reason":"Matrix"}""")).OkAsync();
            await admin.PostAsync($"/v1/customers/{customer}/invoices/inv_pay/apply-credits", ApiFixture.Raw("""{"currency":"USD","total":"1.00"}""")).OkAsync();
            await admin.PostAsync($"/v1/customers/{customer}/invoices/inv_void/apply-credits", ApiFixture.Raw("""{"currency":"USD","total":"1.00"}""")).OkAsync();
            var spare = await (await admin.PostAsync("/v1/api-keys", ApiFixture.Raw("""{"name":"spare","scopes":["read"]}"""))).JsonAsync(HttpStatusCode.Created);
            var revoked = await (await admin.PostAsync("/v1/api-keys", ApiFixture.Raw("""{"name":"revoked","scopes":["admin"]}"""))).JsonAsync(HttpStatusCode.Created);
            (await admin.DeleteAsync($"/v1/api-keys/{revoked.Str("id")}")).EnsureSuccessStatusCode();
            var keys = new Dictionary<string, string?>
            {
                ["none"] = null,
                ["revoked"] = revoked.Str("key"),
                ["admin"] = ApiFixture.AdminKey,
            };
            foreach (var scope in new[] { "credits:write", "invoices:write", "read" })
            {
                keys[scope] = await api.KeyAsync("matrix-" + scope, scope);
            }

            return new Setup(customer, grantId, await NewScheduleAsync(api, customer), topUpRequestId, spare.Str("id"), await NewEndpointAsync(api), keys);
        }
    }
}
