namespace CreditLedger.Domain;

/// <summary>Who asked for a change, from where, and under which request: recorded on every ledger entry.</summary>
/// <param name="Actor">Who: <c>key:&lt;name&gt;</c> for an API key, <c>user:&lt;name&gt;</c> on the dashboard, <see cref="EngineActor"/> for the engine.</param>
/// <param name="Source">From where: <c>api</c>, <c>dashboard</c>, <c>reminder</c>.</param>
/// <param name="RequestId">The request id, when there was a request.</param>
/// <param name="IdempotencyKey">The caller's idempotency key, when it sent one.</param>
public sealed record Provenance(string Actor, string Source, string? RequestId, string? IdempotencyKey)
{
    /// <summary>The actor of the entries the engine writes on its own (expiries).</summary>
    public const string EngineActor = "engine";

    /// <summary>The source of entries the expiry reminder writes.</summary>
    public const string ReminderSource = "reminder";

    /// <summary>The provenance of a reminder's own writes.</summary>
    public static Provenance Reminder { get; } = new(EngineActor, ReminderSource, null, null);
}
