namespace CreditLedger.Contracts.Webhooks;

/// <summary>
/// One webhook endpoint's delivery (key: the endpoint id). While active it runs the endpoint's delivery worker,
/// which follows the ledger from the endpoint's checkpoint; every silo keeps the grains of the endpoints that are
/// not disabled running, so delivery resumes within seconds wherever Orleans places it after a silo dies. Every
/// change to an endpoint goes through its grain, which stops the worker, makes the change and starts a new one.
/// </summary>
[Alias("CreditLedger.IWebhookEndpointGrain")]
public interface IWebhookEndpointGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain and starts its delivery worker if it is not running.</summary>
    [Alias("EnsureRunning")]
    Task EnsureRunningAsync();

    /// <summary>
    /// Creates the endpoint under the grain's key with a new signing secret and starts delivering the events recorded
    /// from now on. The values are validated by the caller.
    /// </summary>
    [Alias("Create")]
    Task<WebhookEndpointView> CreateAsync(string url, string description, IReadOnlyList<string> events);

    /// <summary>Deletes the endpoint and ends its delivery; returns it as it was, or null when it does not exist.</summary>
    [Alias("Delete")]
    Task<WebhookEndpointView?> DeleteAsync();

    /// <summary>
    /// Gives the endpoint a new signing secret; the previous one keeps signing beside it for
    /// <paramref name="overlap"/>. Returns the endpoint with the new secret, or null when it does not exist.
    /// </summary>
    [Alias("RotateSecret")]
    Task<WebhookEndpointView?> RotateSecretAsync(TimeSpan overlap);

    /// <summary>
    /// Restarts the delivery worker so that it reads the endpoint again. Gateways before <see cref="DeleteAsync"/> and
    /// <see cref="RotateSecretAsync"/> call it after changing the endpoint themselves, so silos keep it during a rolling
    /// upgrade.
    /// </summary>
    [Alias("Refresh")]
    Task RefreshAsync();

    /// <summary>
    /// Makes the endpoint healthy again (optionally replaying from <paramref name="from"/>, never before its creation)
    /// and restarts delivery. Returns false when the endpoint does not exist.
    /// </summary>
    [Alias("Enable")]
    Task<bool> EnableAsync(DateTimeOffset? from);
}
