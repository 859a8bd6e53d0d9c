namespace CreditLedger.Domain;

/// <summary>The events state changes emit, named as webhooks deliver them.</summary>
public static class CreditEventType
{
    /// <summary>Credits were granted.</summary>
    public const string Granted = "account.credits.granted";

    /// <summary>Credits were applied to an invoice.</summary>
    public const string Applied = "account.credits.applied";

    /// <summary>A grant's remaining credits expired.</summary>
    public const string Expired = "account.credits.expired";

    /// <summary>A grant's remaining credits were voided.</summary>
    public const string Voided = "account.credits.voided";

    /// <summary>Credits of a voided invoice returned to their grant.</summary>
    public const string Reinstated = "account.credits.reinstated";

    /// <summary>Available of a credit type went from above zero to zero.</summary>
    public const string BalanceDepleted = "account.credits.balance_depleted";

    /// <summary>Available of a credit type went from at or above the customer's threshold to below it.</summary>
    public const string BalanceLow = "account.credits.balance_low";

    /// <summary>Available went below the customer's top-up threshold: a top-up request was recorded.</summary>
    public const string TopUpRequested = "account.credits.top_up_requested";

    /// <summary>The event an entry of <paramref name="kind"/> announces about itself; null for a paid entry, which has none.</summary>
    public static string? Of(EntryKind kind) => kind switch
    {
        EntryKind.Granted => Granted,
        EntryKind.Applied => Applied,
        EntryKind.Reinstated => Reinstated,
        EntryKind.Expired => Expired,
        EntryKind.Voided => Voided,
        _ => null,
    };

    /// <summary>Every event type.</summary>
    public static IReadOnlyList<string> All { get; } = [Granted, Applied, Expired, Voided, Reinstated, BalanceDepleted, BalanceLow, TopUpRequested];
}
