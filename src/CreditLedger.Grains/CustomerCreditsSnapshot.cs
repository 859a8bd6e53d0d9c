using System.Text.Json.Serialization;
using CreditLedger.Domain;

namespace CreditLedger.Grains;

/// <summary>
/// A customer's grants at a version (those that can still change, and the totals of those that ended), stored in Orleans grain storage as plain JSON so that activation does not
/// replay the whole ledger. It is a cache: the entries after <see cref="Version"/> are always replayed on top,
/// and a snapshot ahead of the ledger is ignored. Unpaid invoices are not in it (they are read from the
/// invoices table). <see cref="Format"/> changes when the shape does.
/// </summary>
public sealed class CustomerCreditsSnapshot
{
    /// <summary>The shape of this snapshot.</summary>
    public int Format { get; set; } = 1;

    /// <summary>The version the snapshot describes (0: no snapshot).</summary>
    public long Version { get; set; }

    /// <summary>When the entry at <see cref="Version"/> occurred.</summary>
    public DateTimeOffset? LastOccurredAt { get; set; }

    /// <summary>Every grant at <see cref="Version"/>.</summary>
    public List<GrantSnapshot> Grants { get; set; } = [];

    /// <summary>How many periods of each credit schedule are in the ledger by <see cref="Version"/> (absent in snapshots written before schedules: none then).</summary>
    public Dictionary<string, long> PeriodsRecorded { get; set; } = [];

    /// <summary>
    /// The totals of the grants that had ended (and left memory) by <see cref="Version"/>, per credit type. Absent in
    /// snapshots written before ended grants left memory: those hold every grant, and the ended ones leave on restore.
    /// </summary>
    public Dictionary<string, EndedGrants> Ended { get; set; } = [];

    /// <summary>Describes <paramref name="credits"/> at its version.</summary>
    public static CustomerCreditsSnapshot Of(CustomerCredits credits) => new()
    {
        Version = credits.Version,
        LastOccurredAt = credits.LastOccurredAt,
        Grants = credits.Grants.Select(g => new GrantSnapshot(
            g.GrantId, g.CreditType.Code, g.Terms.Amount, g.Terms.Priority, g.Terms.Category, g.Terms.EffectiveAt, g.Terms.ExpiresAt,
            g.CreatedVersion, g.CreatedAt, g.Remaining, g.Pending, g.Consumed, g.Expired, g.Voided, g.IsVoided)
        {
            ScheduleId = g.Terms.ScheduleId,
            Period = g.Terms.Period,
            RolloverOf = g.Terms.RolloverOf,
        }).ToList(),
        PeriodsRecorded = credits.PeriodsRecordedBySchedule.ToDictionary(StringComparer.Ordinal),
        Ended = credits.EndedGrantTotals.ToDictionary(e => e.Key.Code, e => e.Value, StringComparer.Ordinal),
    };

    /// <summary>Rebuilds the state the snapshot describes.</summary>
    public CustomerCredits Restore() =>
        CustomerCredits.Restore(Version, LastOccurredAt, Grants.Select(g => Grant.Restore(
            new GrantTerms(g.GrantId, CreditType.Parse(g.CreditType), g.Amount, g.Priority, g.Category, g.EffectiveAt, g.ExpiresAt)
            {
                ScheduleId = g.ScheduleId,
                Period = g.Period,
                RolloverOf = g.RolloverOf,
            },
            g.CreatedVersion, g.CreatedAt, g.Remaining, g.Pending, g.Consumed, g.Expired, g.Voided, g.IsVoided)),
            PeriodsRecorded,
            Ended.ToDictionary(e => CreditType.Parse(e.Key), e => e.Value));
}

/// <summary>One grant in a <see cref="CustomerCreditsSnapshot"/>.</summary>
/// <param name="GrantId">Id.</param>
/// <param name="CreditType">Code.</param>
/// <param name="Amount">Granted.</param>
/// <param name="Priority">0-100.</param>
/// <param name="Category">Paid or promotional.</param>
/// <param name="EffectiveAt">Usable from.</param>
/// <param name="ExpiresAt">Expires at.</param>
/// <param name="CreatedVersion">Version of the granted entry.</param>
/// <param name="CreatedAt">When granted.</param>
/// <param name="Remaining">Remaining.</param>
/// <param name="Pending">Pending.</param>
/// <param name="Consumed">Consumed.</param>
/// <param name="Expired">Expired.</param>
/// <param name="Voided">Voided.</param>
/// <param name="IsVoided">Whether voided.</param>
public sealed record GrantSnapshot(
    string GrantId,
    string CreditType,
    decimal Amount,
    int Priority,
    [property: JsonConverter(typeof(JsonStringEnumConverter<GrantCategory>))] GrantCategory Category,
    DateTimeOffset EffectiveAt,
    DateTimeOffset? ExpiresAt,
    long CreatedVersion,
    DateTimeOffset CreatedAt,
    decimal Remaining,
    decimal Pending,
    decimal Consumed,
    decimal Expired,
    decimal Voided,
    bool IsVoided)
{
    /// <summary>The schedule that made the grant, if one did.</summary>
    public string? ScheduleId { get; init; }

    /// <summary>The schedule period the grant belongs to.</summary>
    public long? Period { get; init; }

    /// <summary>For a rollover grant, the period grant it carries on.</summary>
    public string? RolloverOf { get; init; }
}
