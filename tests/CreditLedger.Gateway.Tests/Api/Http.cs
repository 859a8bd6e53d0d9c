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
}
