using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CreditLedger.Storage;
using CreditLedger.Storage.Telemetry;
using CreditLedger.Storage.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace CreditLedger.Silo.Webhooks;

/// <summary>
/// Delivers outbox events to webhook endpoints; one runs in every silo, and any number can share the work. Each
/// round fans new outbox rows out into deliveries, leases due deliveries, and POSTs them signed per Standard
/// Webhooks (<c>webhook-id</c> = the event id on every attempt, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>). A 2xx within the timeout is success; anything else is retried on the schedule,
/// with jitter, and every attempt is logged. A dispatcher that stops or dies mid-delivery records nothing for it:
/// the lease expires and the delivery is attempted again, so every event arrives at least once.
/// </summary>
public sealed partial class WebhookDispatcher(
    LedgerDatabase database,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    EngineMetrics metrics,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly WebhookOptions _options = options.Value;
    private readonly IReadOnlyList<TimeSpan> _schedule = options.Value.ParseRetrySchedule();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = CreateClient();
        var store = new WebhookStore(database.DataSource);
        var window = _schedule.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var fanned = await store.FanOutAsync(_options.BatchSize, stoppingToken);
                var due = await store.ClaimAsync(_options.BatchSize, _options.Lease, stoppingToken);
                await Parallel.ForEachAsync(
                    due,
                    new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = stoppingToken },
                    async (delivery, cancellationToken) =>
                    {
                        var outcome = await AttemptAsync(http, delivery, cancellationToken);
                        await store.RecordAsync(outcome, window, cancellationToken);
                        metrics.WebhookAttempted(outcome.Succeeded ? "succeeded" : outcome.RetryAfter is null ? "failed" : "retrying");
                    });

                if (fanned == 0 && due.Count == 0)
                {
                    await Task.Delay(_options.PollInterval, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or ObjectDisposedException)
            {
                // The database is away (or the host is stopping): leased deliveries stay leased and come back later.
                LogRoundFailed(logger, e);
                await Task.Delay(_options.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<AttemptOutcome> AttemptAsync(HttpClient http, DueDelivery delivery, CancellationToken stoppingToken)
    {
        var attempt = delivery.Attempts + 1;
        var retryAfter = attempt <= _schedule.Count ? Jitter(_schedule[attempt - 1]) : (TimeSpan?)null;
        var startedAt = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", delivery.EventId);
            request.Headers.Add("webhook-timestamp", startedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", new StandardWebhook(delivery.Secret).Sign(delivery.EventId, startedAt, delivery.Payload));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300
                ? new AttemptOutcome(delivery, startedAt, status, null, clock.Elapsed, null)
                : new AttemptOutcome(delivery, startedAt, status, $"HTTP {status}", clock.Elapsed, retryAfter);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return new AttemptOutcome(delivery, startedAt, null, $"No answer within {_options.Timeout.TotalSeconds:0} s", clock.Elapsed, retryAfter);
        }
        catch (HttpRequestException e)
        {
            return new AttemptOutcome(delivery, startedAt, null, Describe(e), clock.Elapsed, retryAfter);
        }
    }

    private HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (!_options.AllowPrivateTargets)
        {
            // Names are checked against what they resolve to at connect time, so DNS cannot point a webhook inside.
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = await System.Net.Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
                var target = addresses.FirstOrDefault(a => !WebhookTargets.IsPrivate(a))
                    ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to private or loopback addresses, which are refused.");
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(target, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("CreditLedger-Webhooks/1");
        return client;
    }

    // Retries spread over ±10% so that endpoints coming back are not hit by every retry at once.
    private static TimeSpan Jitter(TimeSpan wait) => wait * (0.9 + (Random.Shared.NextDouble() * 0.2));

    private static string Describe(HttpRequestException e) =>
        e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook dispatch round failed; retrying")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
