using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CreditLedger.Storage.Webhooks;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace CreditLedger.Webhooks;

/// <summary>
/// POSTs events signed per Standard Webhooks: <c>webhook-id</c> (the event id, the same on every attempt),
/// <c>webhook-timestamp</c> and <c>webhook-signature</c>, which carries one <c>v1,</c> signature per secret that
/// signs (two for a day after a rotation). Any 2xx within the timeout is success; anything else, a refused
/// connection or no answer in time is a failed attempt. One per silo: its connections are pooled per endpoint.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _http = CreateClient(_options.AllowPrivateTargets);
    }

    /// <summary>Attempts one delivery.</summary>
    /// <param name="url">The endpoint's URL.</param>
    /// <param name="signers">The secrets that sign it: the current one, then the previous one while it still signs.</param>
    /// <param name="eventId">The event id.</param>
    /// <param name="payload">The JSON body.</param>
    /// <param name="cancellationToken">Cancels the attempt (the worker is stopping): it then throws.</param>
    public async Task<AttemptOutcome> SendAsync(string url, IReadOnlyList<StandardWebhook> signers, string eventId, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signers);
        var startedAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", eventId);
            request.Headers.Add("webhook-timestamp", startedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", string.Join(' ', signers.Select(s => s.Sign(eventId, startedAt, payload))));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return new AttemptOutcome(startedAt, status, status is >= 200 and < 300 ? null : $"HTTP {status}", clock.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(startedAt, null, $"No answer within {_options.Timeout.TotalSeconds:0} s", clock.Elapsed);
        }
        catch (HttpRequestException e)
        {
            return new AttemptOutcome(startedAt, null, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message, clock.Elapsed);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static HttpClient CreateClient(bool allowPrivateTargets)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (!allowPrivateTargets)
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
}
