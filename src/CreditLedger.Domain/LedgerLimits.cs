namespace CreditLedger.Domain;

/// <summary>
/// Every limit of the engine, named and in one place. Inputs beyond a limit are rejected at the edge
/// with a validation error or refused by the domain with a <see cref="Rejection"/>; they are never truncated.
/// </summary>
public static class LedgerLimits
{
    /// <summary>The longest caller-chosen id (customer, invoice, grant): 128 characters.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The decimals a unit amount may have: 6.</summary>
    public const int UnitScale = 6;

    /// <summary>The largest amount anywhere: 1,000,000,000,000.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    /// <summary>The most grants one customer can hold over its life: 10,000.</summary>
    public const int MaxGrantsPerCustomer = 10_000;

    /// <summary>The most credit schedules one customer can have that have not ended (active): 100.</summary>
    public const int MaxActiveSchedulesPerCustomer = 100;

    /// <summary>The most periods a credit schedule can have: 10,000.</summary>
    public const int MaxSchedulePeriods = 10_000;

    /// <summary>How far in the past a schedule's <c>startsAt</c> may be: 5 minutes, as for a grant's <c>effectiveAt</c>.</summary>
    public static readonly TimeSpan MaxStartsAtInPast = TimeSpan.FromMinutes(5);

    /// <summary>The most unpaid (pending) invoices one customer can have at once: 10,000.</summary>
    public const int MaxPendingInvoicesPerCustomer = 10_000;

    /// <summary>The most credit types one invoice can ask credits for (its currency plus usage lines): 20.</summary>
    public const int MaxCreditTypesPerInvoice = 20;

    /// <summary>
    /// The most applications (grants drawn from) of one invoice: 500. Past it the drawdown stops and the rest
    /// is reported as due, as if the credits were not there.
    /// </summary>
    public const int MaxApplicationsPerInvoice = 500;

    /// <summary>The longest reason: 500 characters.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The longest idempotency key: 255 characters.</summary>
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>The lowest grant priority (drawn first): 0.</summary>
    public const int MinPriority = 0;

    /// <summary>The highest grant priority (drawn last): 100.</summary>
    public const int MaxPriority = 100;

    /// <summary>The priority of a grant that does not say: 50, so by default all grants tie on priority.</summary>
    public const int DefaultPriority = 50;

    /// <summary>How far in the past a grant's <c>effectiveAt</c> may be: 5 minutes (for clock skew, not backdating).</summary>
    public static readonly TimeSpan MaxEffectiveAtInPast = TimeSpan.FromMinutes(5);

    /// <summary>The default horizon of "expiring soon": 30 days.</summary>
    public const int DefaultExpiringWithinDays = 30;

    /// <summary>The longest horizon of "expiring soon": 365 days.</summary>
    public const int MaxExpiringWithinDays = 365;

    /// <summary>The default page size of lists: 50.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest page size of lists: 200.</summary>
    public const int MaxPageSize = 200;
}
