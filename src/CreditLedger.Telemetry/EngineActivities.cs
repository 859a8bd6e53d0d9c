using System.Diagnostics;

namespace CreditLedger.Telemetry;

/// <summary>The engine's own trace spans (the source <see cref="SourceName"/>), for work that runs outside a request.</summary>
public static class EngineActivities
{
    /// <summary>The activity source's name; tracers subscribe to it.</summary>
    public const string SourceName = "CreditLedger";

    /// <summary>The source.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>
    /// Starts the span of one ledger transaction that holds the appends of <paramref name="callers"/> (their trace
    /// contexts; default when a caller had none). A transaction for one caller continues that caller's trace; one
    /// shared by several starts a trace of its own linked to each of theirs. Null when nobody listens.
    /// </summary>
    public static Activity? StartLedgerCommit(IReadOnlyList<ActivityContext> callers)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!Source.HasListeners())
        {
            return null;
        }

        if (callers.Count == 1)
        {
            return Source.StartActivity("ledger commit", ActivityKind.Internal, callers[0]);
        }

        var links = callers.Where(caller => caller != default).Select(caller => new ActivityLink(caller)).ToList();
        return Source.StartActivity(ActivityKind.Internal, parentContext: default, links: links, name: "ledger commit");
    }
}
