using System.Net;
using System.Text.Json;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>Reading answers in API tests.</summary>
internal static class Http
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> OkAsync(this Task<HttpResponseMessage> response) => await (await response).JsonAsync(HttpStatusCode.OK);

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    /// <summary>POSTs a JSON body with an <c>Idempotency-Key</c>.</summary>
    public static async Task<HttpResponseMessage> PostWithKeyAsync(this HttpClient http, string path, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = ApiFixture.Raw(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await http.SendAsync(request);
    }

    /// <summary>True when the answer is a replay of an earlier one.</summary>
    public static bool IsReplay(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";
}
