using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditLedger.LoadTests;

/// <summary>
/// Webhooks switched on, as real deployments have them (<c>--webhooks</c>): a fast receiver on loopback and a dead
/// endpoint (connection refused), both subscribed to every event, are registered before the customers are seeded.
/// After the run it waits for every event of the run's customers (from the ledger) to reach the receiver, and
/// reports delivery lag (arrival minus the event's <c>createdAt</c>), duplicates, the dead endpoint's delivery rows,
/// and how long an endpoint registered afterwards waits for its first event. The engine must allow private targets
/// (<c>CreditLedger:Webhooks:AllowPrivateTargets</c>).
/// </summary>
internal sealed class WebhookCheck : IAsyncDisposable
{
    private readonly WebApplication _receiver;
    private readonly ConcurrentDictionary<string, double> _arrivals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lateArrivals = new(StringComparer.Ordinal);
    private readonly EngineClient _engine;
    private readonly List<string> _endpoints = [];
    private long _duplicates;

    private WebhookCheck(WebApplication receiver, EngineClient engine)
    {
        _receiver = receiver;
        _engine = engine;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string DeadEndpointId { get; private set; } = string.Empty;

    /// <summary>Starts the receiver and registers the live and the dead endpoint.</summary>
    public static async Task<WebhookCheck> StartAsync(EngineClient engine, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var check = new WebhookCheck(app, engine);
        app.MapPost("/hooks/{name}", check.ReceiveAsync);
        await app.StartAsync(cancellationToken);
        check.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        check._endpoints.Add(await engine.CreateWebhookEndpointAsync(new Uri(check.BaseAddress, "/hooks/live"), cancellationToken));
        check.DeadEndpointId = await engine.CreateWebhookEndpointAsync(new Uri("http://127.0.0.1:1/dead"), cancellationToken);
        check._endpoints.Add(check.DeadEndpointId);
        return check;
    }

    /// <summary>
    /// Waits up to <paramref name="patience"/> for every event of <paramref name="customers"/> the ledger holds to
    /// arrive, then measures a newly registered endpoint's first event (a grant to <paramref name="customers"/>[0]).
    /// </summary>
    public async Task<WebhookSummary> MeasureAsync(string database, IReadOnlyList<string> customers, TimeSpan patience, CancellationToken cancellationToken)
    {
        var expected = await EventIdsAsync(database, customers, cancellationToken);
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < patience && expected.Any(id => !_arrivals.ContainsKey(id)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        var missing = expected.Count(id => !_arrivals.ContainsKey(id));
        var lags = _arrivals.Where(a => expected.Contains(a.Key)).Select(a => a.Value).Order().ToList();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var rows = dataSource.CreateCommand("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1");
        rows.Parameters.Add(new NpgsqlParameter { Value = DeadEndpointId });
        var deadRows = (long)(await rows.ExecuteScalarAsync(cancellationToken))!;

        // An endpoint registered now gets the next event: how long after its change was acknowledged?
        _endpoints.Add(await _engine.CreateWebhookEndpointAsync(new Uri(BaseAddress, "/hooks/late"), cancellationToken));
        var grantId = await _engine.GrantOneAsync(customers[0], cancellationToken);
        var granted = Stopwatch.GetTimestamp();
        double? firstEventMs = null;
        while (Stopwatch.GetElapsedTime(granted) < TimeSpan.FromSeconds(30))
        {
            if (_lateArrivals.TryGetValue(grantId, out var arrived))
            {
                firstEventMs = Stopwatch.GetElapsedTime(granted, arrived).TotalMilliseconds;
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        return new WebhookSummary(
            expected.Count,
            missing,
            Interlocked.Read(ref _duplicates),
            Percentile(lags, 50),
            Percentile(lags, 99),
            lags.Count == 0 ? 0 : lags[^1],
            Math.Round(waited.Elapsed.TotalSeconds, 1),
            deadRows,
            firstEventMs);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var endpoint in _endpoints)
        {
            await _engine.DeleteWebhookEndpointAsync(endpoint, CancellationToken.None);
        }

        await _receiver.StopAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(string name, HttpRequest request)
    {
        var arrived = DateTimeOffset.UtcNow;
        var timestamp = Stopwatch.GetTimestamp();
        using var body = await JsonDocument.ParseAsync(request.Body);
        var root = body.RootElement;
        var id = root.GetProperty("id").GetString()!;
        if (name == "late")
        {
            // The late endpoint's check looks for the new grant's event, by its grant id.
            if (root.GetProperty("type").GetString() == "account.credits.granted")
            {
                _lateArrivals.TryAdd(root.GetProperty("data").GetProperty("entry").GetProperty("grantId").GetString()!, timestamp);
            }

            return Results.Ok();
        }

        var lag = (arrived - root.GetProperty("createdAt").GetDateTimeOffset()).TotalMilliseconds;
        if (!_arrivals.TryAdd(id, lag))
        {
            Interlocked.Increment(ref _duplicates);
        }

        return Results.StatusCode((int)HttpStatusCode.NoContent);
    }

    private static async Task<HashSet<string>> EventIdsAsync(string database, IReadOnlyList<string> customers, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand("SELECT event_id FROM credit_events WHERE customer_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray() });
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static double Percentile(List<double> sorted, double percent) =>
        sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * percent / 100) - 1)];
}

/// <summary>What the webhook check measured.</summary>
/// <param name="Events">Events of the run's customers in the ledger.</param>
/// <param name="Missing">Of those, how many never reached the live receiver.</param>
/// <param name="Duplicates">Deliveries of an event the live receiver already had.</param>
/// <param name="LagP50Ms">Delivery lag (arrival minus <c>createdAt</c>), median.</param>
/// <param name="LagP99Ms">Delivery lag, 99th percentile.</param>
/// <param name="LagMaxMs">Delivery lag, worst.</param>
/// <param name="CompleteAfterSeconds">How long after the load every event had arrived (or the patience ran out).</param>
/// <param name="DeadEndpointRows">Delivery rows the dead endpoint holds.</param>
/// <param name="NewEndpointFirstEventMs">For an endpoint registered after the run: from a grant's answer to its event's arrival.</param>
internal sealed record WebhookSummary(
    long Events, long Missing, long Duplicates, double LagP50Ms, double LagP99Ms, double LagMaxMs, double CompleteAfterSeconds, long DeadEndpointRows, double? NewEndpointFirstEventMs);
