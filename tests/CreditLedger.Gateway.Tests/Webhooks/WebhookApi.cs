using System.Net;
using CreditLedger.Gateway.Tests.Api;
using CreditLedger.Testing;

namespace CreditLedger.Gateway.Tests.Webhooks;

/// <summary>
/// The API with webhooks allowed to loopback, quick polling and a short retry schedule: four quick retries, then
/// 2 s and 25 s, so that an endpoint stays failing long enough to be watched and is disabled after about 27 s.
/// </summary>
public sealed class WebhookApi : ApiFixture
{
    /// <summary>How long a webhook test waits for deliveries.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private WebhookReceiver? _receiver;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("CreditLedger:Webhooks:AllowPrivateTargets", "true"),
        new("CreditLedger:Webhooks:RetrySchedule", "100ms,100ms,100ms,100ms,2s,25s"),
        new("CreditLedger:Webhooks:PollInterval", "00:00:00.050"),
        new("CreditLedger:Webhooks:Timeout", "00:00:05"),
        new("CreditLedger:Webhooks:PurgeInterval", "00:00:00.200"),
    ];

    /// <summary>Subscribes <paramref name="receiver"/>'s path <paramref name="name"/> to <paramref name="events"/> (all when none).</summary>
    public async Task<(string Id, string Secret)> CreateEndpointAsync(WebhookReceiver receiver, string name, params string[] events)
    {
        using var http = Client();
        var created = await (await http.PostAsync("/v1/webhook-endpoints", Json(new { url = receiver.Url(name).ToString(), events, description = name })))
            .JsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("whsec_", created.Str("secret"), StringComparison.Ordinal);
        return (created.Str("id"), created.Str("secret"));
    }

    public async Task<WebhookReceiver> ReceiverAsync() => _receiver ??= await WebhookReceiver.StartAsync();

    public async Task<IReadOnlyCollection<string>> EventIdsAsync(string customerId) =>
        await DataSource.StringsAsync("SELECT event_id FROM credit_events WHERE customer_id = $1 ORDER BY version, event_type", customerId);

    public override async Task DisposeAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
