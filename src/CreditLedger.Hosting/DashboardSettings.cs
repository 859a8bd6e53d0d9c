using Orleans.Dashboard;

namespace CreditLedger.Hosting;

/// <summary>The Orleans dashboard's options, the same on silos and on clients that serve it.</summary>
public static class DashboardSettings
{
    /// <summary>
    /// Turns off the dashboard's live log view: logs stay with the host's logging providers, and the dashboard shows
    /// grain and silo statistics only.
    /// </summary>
    public static void Configure(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.HideTrace = true;
    }
}
