using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CreditLedger.Gateway.Tests.Webhooks;

/// <summary>
/// A real HTTP server on loopback that receives webhooks at <c>/hooks/{name}</c>, keeps every request (headers and
/// body), and answers as each name's behaviour says: accept, fail a number of attempts first, fail always, or hold
/// the request until released.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Behaviour> _behaviours = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{name}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    public Uri Url(string name) => new(BaseAddress, $"/hooks/{name}");

    public void Set(string name, Behaviour behaviour) => _behaviours[name] = behaviour;

    /// <summary>Lets held requests answer 200.</summary>
    public void Release() => _release.TrySetResult();

    public IEnumerable<Received> For(string name) => Requests.Where(r => r.Name == name);

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(string name, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var webhookId = headers.GetValueOrDefault("webhook-id") ?? string.Empty;
        var attempt = _attempts.AddOrUpdate($"{name}/{webhookId}", 1, (_, n) => n + 1);
        Requests.Enqueue(new Received(name, headers, body, attempt, DateTimeOffset.UtcNow));

        var behaviour = _behaviours.GetValueOrDefault(name, Behaviour.Accept);
        if (behaviour.Hold)
        {
            await _release.Task;
        }

        return behaviour.AlwaysFail || attempt <= behaviour.FailFirst
            ? Results.StatusCode((int)HttpStatusCode.InternalServerError)
            : Results.Ok();
    }

    public sealed record Behaviour(int FailFirst = 0, bool AlwaysFail = false, bool Hold = false)
    {
        public static Behaviour Accept { get; } = new();
    }

    public sealed record Received(string Name, IReadOnlyDictionary<string, string> Headers, string Body, int Attempt, DateTimeOffset At);
}
