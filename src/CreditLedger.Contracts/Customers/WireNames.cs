using CreditLedger.Domain;

namespace CreditLedger.Contracts.Customers;

/// <summary>The lower-case names the API and events use for the domain's enumerations.</summary>
public static class WireNames
{
    /// <summary><c>monetary</c> or <c>units</c>.</summary>
    public static string Of(CreditKind kind) => kind == CreditKind.Monetary ? "monetary" : "units";

    /// <summary><c>paid</c> or <c>promotional</c>.</summary>
    public static string Of(GrantCategory category) => category == GrantCategory.Promotional ? "promotional" : "paid";

    /// <summary><c>scheduled</c>, <c>active</c>, <c>depleted</c>, <c>expired</c>, <c>voided</c>.</summary>
    public static string Of(GrantStatus status) => status switch
    {
        GrantStatus.Scheduled => "scheduled",
        GrantStatus.Active => "active",
        GrantStatus.Depleted => "depleted",
        GrantStatus.Expired => "expired",
        _ => "voided",
    };

    /// <summary><c>pending</c>, <c>paid</c>, <c>voided</c>.</summary>
    public static string Of(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Pending => "pending",
        InvoiceStatus.Paid => "paid",
        _ => "voided",
    };

    /// <summary><c>granted</c>, <c>applied</c>, <c>paid</c>, <c>reinstated</c>, <c>expired</c>, <c>voided</c>.</summary>
    public static string Of(EntryKind kind) => kind switch
    {
        EntryKind.Granted => "granted",
        EntryKind.Applied => "applied",
        EntryKind.Paid => "paid",
        EntryKind.Reinstated => "reinstated",
        EntryKind.Expired => "expired",
        _ => "voided",
    };

    /// <summary><c>active</c>, <c>completed</c>, <c>cancelled</c>.</summary>
    public static string Of(ScheduleStatus status) => status switch
    {
        ScheduleStatus.Active => "active",
        ScheduleStatus.Completed => "completed",
        _ => "cancelled",
    };

    /// <summary>Parses a grant category name.</summary>
    public static bool TryParseCategory(string? text, out GrantCategory category)
    {
        category = text == "promotional" ? GrantCategory.Promotional : GrantCategory.Paid;
        return text is "promotional" or "paid";
    }

    /// <summary>Parses a grant status name.</summary>
    public static bool TryParseGrantStatus(string? text, out GrantStatus status)
    {
        foreach (var candidate in Enum.GetValues<GrantStatus>())
        {
            if (Of(candidate) == text)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
