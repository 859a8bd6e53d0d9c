namespace CreditLedger.Contracts.Webhooks;

/// <summary>
/// One webhook endpoint's delivery (key: the endpoint id). While active it runs the endpoint's delivery worker,
/// which follows the ledger from the endpoint's checkpoint; every silo keeps the grains of the endpoints that are
/// not disabled running, so delivery resumes within seconds wherever Orleans places it after a silo dies.
/// </summary>
[Alias("CreditLedger.IWebhookEndpointGrain")]
public interface IWebhookEndpointGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain and starts its delivery worker if it is not running.</summary>
    [Alias("EnsureRunning")]
    Task EnsureRunningAsync();

    /// <summary>Restarts the delivery worker so that it reads the endpoint again (after a secret rotation or a deletion).</summary>
    [Alias("Refresh")]
    Task RefreshAsync();

    /// <summary>
    /// Makes the endpoint healthy again (optionally replaying from <paramref name="from"/>, never before its creation)
    /// and restarts delivery. Returns false when the endpoint does not exist.
    /// </summary>
    [Alias("Enable")]
    Task<bool> EnableAsync(DateTimeOffset? from);
}
