using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;

namespace CreditLedger.Grains;

/// <summary>
/// The body a webhook delivers for an event, <c>{ id, type, createdAt, data }</c>, where <c>data</c> has the customer,
/// credit type, version, the entry that caused the event and the balance after it, plus the grant (granted, voided,
/// expired; with its schedule, period and rollover source when a schedule made it), the request (top_up_requested:
/// requestId, amount, available, threshold), the invoice (applied, reinstated) or the threshold (balance_low). Amounts are decimal strings in the
/// credit type's format. Bodies are rendered from the ledger entries that carry the events, when they are delivered.
/// </summary>
public static class CreditEventPayloads
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    /// <summary>A stable id: the same change of the same customer always gets the same event id.</summary>
    public static string EventId(CustomerId customerId, long version, string eventType)
    {
        // Every delivery names its event, so the hash input is formatted on the stack when it fits (it always does for
        // ids within the API's length limits).
        Span<char> text = stackalloc char[256];
        Span<byte> utf8 = stackalloc byte[768];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (text.TryWrite($"{customerId.Value}\n{version}\n{eventType}", out var length))
        {
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(text[..length], utf8)], hash);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes($"{customerId.Value}\n{version}\n{eventType}"), hash);
        }

        return "evt_" + Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>The body of <paramref name="creditEvent"/>, caused by an entry of <paramref name="customerId"/> recorded at <paramref name="createdAt"/>.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="eventId">The event's id (<see cref="EventId"/>).</param>
    /// <param name="creditEvent">The event.</param>
    /// <param name="terms">The terms of the entry's grant (for granted, voided and expired events).</param>
    /// <param name="createdAt">When the entry was recorded.</param>
    public static string Render(CustomerId customerId, string eventId, CreditEvent creditEvent, GrantTerms? terms, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(creditEvent);
        var entry = creditEvent.Entry;
        var type = entry.CreditType;

        // Rendering is synchronous, so each thread reuses one buffer and one writer instead of allocating and growing
        // them for every delivery.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(2048);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("id", eventId);
        json.WriteString("type", creditEvent.Type);
        json.WriteString("createdAt", createdAt.ToUniversalTime());
        json.WriteStartObject("data");
        json.WriteString("customerId", customerId.Value);
        json.WriteString("creditType", type.Code);
        json.WriteNumber("version", entry.Version);

        json.WriteStartObject("entry");
        json.WriteString("entryId", CustomerViews.EntryId(customerId, entry.Version));
        json.WriteNumber("version", entry.Version);
        json.WriteString("kind", WireNames.Of(entry.Kind));
        json.WriteString("grantId", entry.GrantId);
        json.WriteString("creditType", type.Code);
        json.WriteString("amount", AmountText.Format(entry.Amount, type));
        json.WriteString("availableAfter", AmountText.Format(entry.AvailableAfter, type));
        WriteNullable(json, "invoiceId", entry.InvoiceId);
        WriteNullable(json, "reason", entry.Reason);
        json.WriteString("actor", entry.Provenance.Actor);
        json.WriteString("occurredAt", entry.OccurredAt.ToUniversalTime());
        json.WriteEndObject();

        json.WriteStartObject("balance");
        json.WriteString("available", AmountText.Format(creditEvent.Available, type));
        json.WriteString("pending", AmountText.Format(creditEvent.Pending, type));
        json.WriteEndObject();

        if (creditEvent.Type is CreditEventType.Granted or CreditEventType.Voided or CreditEventType.Expired && terms is not null)
        {
            json.WriteStartObject("grant");
            json.WriteString("grantId", terms.GrantId);
            json.WriteString("type", WireNames.Of(type.Kind));
            json.WriteString("creditType", type.Code);
            json.WriteString("amount", AmountText.Format(terms.Amount, type));
            json.WriteNumber("priority", terms.Priority);
            json.WriteString("category", WireNames.Of(terms.Category));
            json.WriteString("effectiveAt", terms.EffectiveAt.ToUniversalTime());
            if (terms.ExpiresAt is { } expiresAt)
            {
                json.WriteString("expiresAt", expiresAt.ToUniversalTime());
            }
            else
            {
                json.WriteNull("expiresAt");
            }

            if (entry.Kind == EntryKind.Granted)
            {
                WriteNullable(json, "reason", entry.Reason);
            }

            // Only grants a schedule made name it.
            if (terms.ScheduleId is { } scheduleId)
            {
                json.WriteString("scheduleId", scheduleId);
                json.WriteNumber("period", terms.Period ?? 0);
                if (terms.RolloverOf is { } rolloverOf)
                {
                    json.WriteString("rolloverOf", rolloverOf);
                }
            }

            json.WriteEndObject();
        }

        if (creditEvent.Type is CreditEventType.Applied or CreditEventType.Reinstated)
        {
            WriteNullable(json, "invoiceId", entry.InvoiceId);
        }

        if (creditEvent.Threshold is { } threshold)
        {
            json.WriteString("threshold", AmountText.Format(threshold, type));
        }

        if (creditEvent.TopUp is { } request)
        {
            json.WriteString("requestId", request.RequestId);
            json.WriteString("amount", AmountText.Format(request.Amount, type));
            json.WriteString("available", AmountText.Format(request.Available, type));
            json.WriteString("threshold", AmountText.Format(request.Threshold, type));
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
