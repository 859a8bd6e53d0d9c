using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CreditLedger.LoadTests;

/// <summary>
/// A reference point for docs/benchmarks.md: a Kestrel minimal API that echoes a JSON POST body, the most any
/// HTTP endpoint can do on the machine. Run with <c>echo-server PORT</c> and drive it with wrk.
/// </summary>
internal static class EchoServer
{
    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/echo", async (HttpRequest request, HttpResponse response) =>
        {
            response.ContentType = "application/json";
            await request.Body.CopyToAsync(response.Body);
        });
        await app.RunAsync();
        return 0;
    }
}
