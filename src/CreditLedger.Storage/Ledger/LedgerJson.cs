using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreditLedger.Domain;

namespace CreditLedger.Storage.Ledger;

/// <summary>
/// The JSON the ledger stores beside its columns: an entry's extra data (a new grant's terms, a paid entry's
/// consumed amount, the threshold a low-balance event crossed, a schedule grant's schedule, period and rollover source,
/// the top-up request an entry recorded) and an invoice's lines and applications. Amounts are JSON numbers written exactly.
/// </summary>
internal static class LedgerJson
{
    public static string EntryData(LedgerEntry entry)
    {
        var data = entry.Kind switch
        {
            EntryKind.Granted when entry.Grant is { } terms =>
                new GrantData(terms.Priority, CategoryName(terms.Category), terms.EffectiveAt.ToUniversalTime(), terms.ExpiresAt?.ToUniversalTime(), null, entry.Threshold)
                {
                    ScheduleId = terms.ScheduleId,
                    Period = terms.Period,
                    RolloverOf = terms.RolloverOf,
                },
            EntryKind.Paid => new GrantData(null, null, null, null, entry.Consumed, entry.Threshold),
            _ when entry.Threshold is not null || entry.TopUp is not null => new GrantData(null, null, null, null, null, entry.Threshold),
            _ => null,
        };
        if (data is null)
        {
            return "{}";
        }

        if (entry.TopUp is { } request)
        {
            data = data with { TopUp = new TopUpData(request.RequestId, request.Amount, request.Available, request.Threshold) };
        }

        return JsonSerializer.Serialize(data, LedgerJsonContext.Default.GrantData);
    }

    /// <summary>
    /// <paramref name="entry"/> with <paramref name="events"/> and what they report from its data, read once: the threshold
    /// a balance_low event crossed, the request a top_up_requested event recorded.
    /// </summary>
    public static LedgerEntry WithEvents(LedgerEntry entry, EntryEvents events, string json)
    {
        if (!events.HasFlag(EntryEvents.BalanceLow) && !events.HasFlag(EntryEvents.TopUpRequested))
        {
            return entry with { Events = events };
        }

        var data = JsonSerializer.Deserialize(json, LedgerJsonContext.Default.GrantData) ?? throw new InvalidDataException("Ledger entry data is null.");
        return entry with
        {
            Events = events,
            Threshold = events.HasFlag(EntryEvents.BalanceLow) ? data.Threshold : null,
            TopUp = events.HasFlag(EntryEvents.TopUpRequested) && data.TopUp is { } topUp
                ? new TopUpRequest(topUp.RequestId, entry.CreditType, topUp.Amount, topUp.Available, topUp.Threshold, entry.Version, entry.OccurredAt)
                : null,
        };
    }

    public static (GrantTerms? Terms, decimal Consumed) ReadEntryData(EntryKind kind, string grantId, CreditType creditType, decimal amount, string json)
    {
        var data = JsonSerializer.Deserialize(json, LedgerJsonContext.Default.GrantData)
            ?? throw new InvalidDataException("Ledger entry data is null.");
        if (kind == EntryKind.Granted)
        {
            var terms = new GrantTerms(
                grantId,
                creditType,
                amount,
                data.Priority ?? throw new InvalidDataException($"Granted entry of {grantId} has no priority."),
                data.Category == "promotional" ? GrantCategory.Promotional : GrantCategory.Paid,
                data.EffectiveAt ?? throw new InvalidDataException($"Granted entry of {grantId} has no effectiveAt."),
                data.ExpiresAt)
            {
                ScheduleId = data.ScheduleId,
                Period = data.Period,
                RolloverOf = data.RolloverOf,
            };
            return (terms, 0);
        }

        return (null, data.Consumed ?? 0);
    }

    public static string Lines(IReadOnlyList<InvoiceLine> lines) =>
        JsonSerializer.Serialize(lines.Select(l => new LineData(l.CreditType.Code, l.Requested, l.Applied)).ToList(), LedgerJsonContext.Default.ListLineData);

    public static string Applications(IReadOnlyList<CreditApplication> applications) =>
        JsonSerializer.Serialize(applications.Select(a => new ApplicationData(a.GrantId, a.CreditType.Code, a.Amount)).ToList(), LedgerJsonContext.Default.ListApplicationData);

    public static IReadOnlyList<InvoiceLine> ReadLines(string json) =>
        (JsonSerializer.Deserialize(json, LedgerJsonContext.Default.ListLineData) ?? [])
            .Select(l => new InvoiceLine(CreditType.Parse(l.CreditType), l.Requested, l.Applied))
            .ToList();

    public static IReadOnlyList<CreditApplication> ReadApplications(string json) =>
        (JsonSerializer.Deserialize(json, LedgerJsonContext.Default.ListApplicationData) ?? [])
            .Select(a => new CreditApplication(a.GrantId, CreditType.Parse(a.CreditType), a.Amount))
            .ToList();

    public static string CategoryName(GrantCategory category) => category == GrantCategory.Promotional ? "promotional" : "paid";

    public static string KindName(EntryKind kind) => kind.ToString().ToLowerInvariant();

    public static EntryKind ParseKind(string kind) =>
        Enum.Parse<EntryKind>(kind, ignoreCase: true);

    public static string StatusName(InvoiceStatus status) => status.ToString().ToLower(CultureInfo.InvariantCulture);

    public static InvoiceStatus ParseStatus(string status) => Enum.Parse<InvoiceStatus>(status, ignoreCase: true);
}

internal sealed record GrantData(
    [property: JsonPropertyName("priority")] int? Priority,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("effectiveAt")] DateTimeOffset? EffectiveAt,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("consumed")] decimal? Consumed,
    [property: JsonPropertyName("threshold")] decimal? Threshold)
{
    [JsonPropertyName("scheduleId")]
    public string? ScheduleId { get; init; }

    [JsonPropertyName("period")]
    public long? Period { get; init; }

    [JsonPropertyName("rolloverOf")]
    public string? RolloverOf { get; init; }

    [JsonPropertyName("topUp")]
    public TopUpData? TopUp { get; init; }
}

internal sealed record TopUpData(
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("amount")] decimal Amount,
    [property: JsonPropertyName("available")] decimal Available,
    [property: JsonPropertyName("threshold")] decimal Threshold);

internal sealed record LineData(
    [property: JsonPropertyName("creditType")] string CreditType,
    [property: JsonPropertyName("requested")] decimal Requested,
    [property: JsonPropertyName("applied")] decimal Applied);

internal sealed record ApplicationData(
    [property: JsonPropertyName("grantId")] string GrantId,
    [property: JsonPropertyName("creditType")] string CreditType,
    [property: JsonPropertyName("amount")] decimal Amount);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GrantData))]
[JsonSerializable(typeof(List<LineData>))]
[JsonSerializable(typeof(List<ApplicationData>))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
