using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CreditLedger.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// Reads the fields of a JSON object, collecting one message per bad field instead of failing on the first.
/// Unknown and repeated fields are errors (a typo must not silently drop a setting). A JSON <c>null</c> is the
/// same as an absent field.
/// </summary>
public sealed partial class RequestFields
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    /// <summary>Reads <paramref name="root"/>, accepting only the <paramref name="known"/> field names.</summary>
    public RequestFields(JsonElement root, params string[] known)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                Error(property.Name, $"Unknown field. Known fields: {string.Join(", ", known)}.");
            }
            else if (!_fields.TryAdd(property.Name, property.Value))
            {
                Error(property.Name, "The field appears more than once.");
            }
        }
    }

    /// <summary>
    /// The reason of a body that holds only <c>{ "reason" }</c> (voids, cancels, failed top-ups), or the problem that
    /// says why it is not one.
    /// </summary>
    public static (string? Reason, JsonHttpResult<Problem>? Problem) ReasonOnly(JsonElement root)
    {
        var fields = new RequestFields(root, "reason");
        var reason = fields.Text("reason", required: true, LedgerLimits.MaxReasonLength);
        return fields.IsValid ? (reason, null) : (null, fields.Problem());
    }

    /// <summary>The messages per bad field so far.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => _errors;

    /// <summary>Whether no field had an error.</summary>
    public bool IsValid => _errors.Count == 0;

    /// <summary>The 400 problem naming every bad field.</summary>
    public JsonHttpResult<Problem> Problem() => Problems.Validation(_errors);

    /// <summary>Records a message for <paramref name="field"/> (the first one per field is kept).</summary>
    public void Error(string field, string message) => _errors.TryAdd(field, [message]);

    /// <summary>Whether the field is present and not null.</summary>
    public bool Has(string name) => _fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A string of 1 to <paramref name="maxLength"/> characters (blank counts as empty).</summary>
    public string? Text(string name, bool required, int maxLength)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, "Must be a string.");
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text) || text.Length > maxLength)
        {
            Error(name, $"Must be 1 to {maxLength} characters.");
            return null;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL text cannot hold it: refused here instead of failing the write.
            Error(name, "Must not contain the NUL character (\\u0000).");
            return null;
        }

        return text;
    }

    /// <summary>
    /// An amount as the caller wrote it: a string or a JSON number matching <c>^[0-9]+(\.[0-9]+)?$</c> (no sign,
    /// exponent or spaces). Its precision is checked later against the credit type with <see cref="Amount"/>.
    /// </summary>
    public string? AmountText(string name, bool required)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (text is null || !PlainDecimal().IsMatch(text))
        {
            Error(name, "Must be a decimal string such as \"50.00\" (digits, an optional fraction; no sign or exponent).");
            return null;
        }

        return text;
    }

    /// <summary>Parses amount text for a credit type, recording why it is not valid.</summary>
    public decimal? Amount(string name, string? text, CreditType? creditType, bool allowZero)
    {
        if (text is null || creditType is not { } type)
        {
            return null;
        }

        if (!CreditLedger.Domain.AmountText.TryParse(text, type, allowZero, out var amount, out var error))
        {
            Error(name, error);
            return null;
        }

        return amount;
    }

    /// <summary>An ISO 4217 currency code, recording why it is not one.</summary>
    public CreditType? Currency(string name, bool required) =>
        Text(name, required, 3) is { } code
            ? CreditType.TryCurrency(code, out var currency, out var error) ? currency : Invalid(name, error)
            : null;

    /// <summary>A unit key (<c>^[a-z][a-z0-9_]{0,63}$</c>), recording why it is not one.</summary>
    public CreditType? Unit(string name, bool required) =>
        Text(name, required, 64) is { } key
            ? CreditType.TryUnit(key, out var unit, out var error) ? unit : Invalid(name, error)
            : null;

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int? WholeNumber(string name, int min, int max)
    {
        if (!Present(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            Error(name, $"Must be a whole number from {min} to {max}.");
            return null;
        }

        return number;
    }

    /// <summary>An RFC 3339 timestamp with a time zone (<c>2026-11-26T10:00:00Z</c>), in UTC.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        if (!Present(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String
            || !Rfc3339().IsMatch(value.GetString()!)
            || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            Error(name, "Must be an RFC 3339 timestamp with a time zone, such as \"2026-11-26T10:00:00Z\".");
            return null;
        }

        return instant.ToUniversalTime();
    }

    /// <summary>An array of 1 to <paramref name="maxItems"/> items.</summary>
    public IReadOnlyList<JsonElement>? Array(string name, int maxItems)
    {
        if (!Present(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 || value.GetArrayLength() > maxItems)
        {
            Error(name, $"Must be an array of 1 to {maxItems} items.");
            return null;
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>
    /// The fields of a nested object, accepting only the <paramref name="known"/> names; null when absent or not an
    /// object. Bad nested fields are recorded here as <c>name.field</c> once the caller is done with them
    /// (<see cref="Absorb"/>).
    /// </summary>
    public RequestFields? Nested(string name, params string[] known)
    {
        if (!Present(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(name, $"Must be an object with the fields: {string.Join(", ", known)}.");
            return null;
        }

        return new RequestFields(value, known);
    }

    /// <summary>Records the errors of the nested object <paramref name="name"/> as <c>name.field</c>.</summary>
    public void Absorb(string name, RequestFields nested)
    {
        ArgumentNullException.ThrowIfNull(nested);
        foreach (var (field, messages) in nested.Errors)
        {
            _errors.TryAdd($"{name}.{field}", messages);
        }
    }

    /// <summary>The value of a field that must be one of <paramref name="allowed"/>.</summary>
    public string? OneOf(string name, bool required, params string[] allowed)
    {
        var text = Text(name, required, 64);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            Error(name, $"Must be one of: {string.Join(", ", allowed)}.");
            return null;
        }

        return text;
    }

    private CreditType? Invalid(string name, string error)
    {
        Error(name, error);
        return null;
    }

    private bool Present(string name, bool required, out JsonElement value)
    {
        if (_fields.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required && !_errors.ContainsKey(name))
        {
            Error(name, "Required.");
        }

        return false;
    }

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$")]
    private static partial Regex PlainDecimal();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
