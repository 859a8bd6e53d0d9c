using CreditLedger.Contracts.Webhooks;
using CreditLedger.Storage.Webhooks;
using CreditLedger.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditLedger.Webhooks;

/// <summary>
/// Hosts one endpoint's <see cref="EndpointDelivery"/> worker, so that the cluster runs one worker per endpoint.
/// Changes to the endpoint that the worker must see go through the grain, which stops the worker, applies them and
/// starts a new one: a worker never saves a checkpoint over a replay's.
/// </summary>
public sealed class WebhookEndpointGrain(
    WebhookStore store,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    EngineMetrics metrics,
    ILogger<WebhookEndpointGrain> logger) : Grain, IWebhookEndpointGrain, IAsyncDisposable
{
    private EndpointDelivery? _delivery;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await StopAsync();

    /// <inheritdoc />
    public async Task EnsureRunningAsync()
    {
        if (_delivery is null || _delivery.Ended)
        {
            await StopAsync();
            Start();
        }
    }

    /// <inheritdoc />
    public async Task<WebhookEndpointView> CreateAsync(string url, string description, IReadOnlyList<string> events)
    {
        var secret = WebhookSecrets.New();
        await StopAsync();
        try
        {
            return WebhookEndpointViews.From(await store.CreateEndpointAsync(this.GetPrimaryKeyString(), url, description, events, secret), secret);
        }
        finally
        {
            Start();
        }
    }

    /// <inheritdoc />
    public async Task<WebhookEndpointView?> DeleteAsync()
    {
        var endpoint = await store.FindEndpointAsync(this.GetPrimaryKeyString());
        if (endpoint is null || !await store.DeleteEndpointAsync(endpoint.EndpointId))
        {
            return null;
        }

        await StopAsync();
        this.DeactivateOnIdle();
        return WebhookEndpointViews.From(endpoint, secret: null);
    }

    /// <inheritdoc />
    public async Task<WebhookEndpointView?> RotateSecretAsync(TimeSpan overlap)
    {
        var secret = WebhookSecrets.New();
        await StopAsync();
        try
        {
            return await store.RotateSecretAsync(this.GetPrimaryKeyString(), secret, overlap) is { } endpoint ? WebhookEndpointViews.From(endpoint, secret) : null;
        }
        finally
        {
            Start();
        }
    }

    /// <inheritdoc />
    public async Task RefreshAsync()
    {
        await StopAsync();
        Start();
    }

    /// <inheritdoc />
    public async Task<bool> EnableAsync(DateTimeOffset? from)
    {
        await StopAsync();
        var enabled = await store.EnableAsync(this.GetPrimaryKeyString(), from);
        Start();
        return enabled;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();

    private void Start()
    {
        _delivery = new EndpointDelivery(this.GetPrimaryKeyString(), store, sender, options.Value, time, metrics, logger);
        _delivery.Start();
    }

    private async Task StopAsync()
    {
        if (_delivery is { } delivery)
        {
            _delivery = null;
            await delivery.DisposeAsync();
        }
    }
}
