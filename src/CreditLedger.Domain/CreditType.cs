using System.Diagnostics.CodeAnalysis;

namespace CreditLedger.Domain;

/// <summary>
/// What a credit is denominated in: an ISO 4217 currency (<c>USD</c>) or a unit key (<c>api_calls</c>,
/// matching <c>^[a-z][a-z0-9_]{0,63}$</c>). <see cref="Scale"/> is the number of decimals its amounts may
/// have: the currency's minor units, or <see cref="LedgerLimits.UnitScale"/> for units.
/// </summary>
public readonly record struct CreditType
{
    private CreditType(string code, CreditKind kind, int scale)
    {
        Code = code;
        Kind = kind;
        Scale = scale;
    }

    /// <summary>The currency code or unit key.</summary>
    public string Code { get; }

    /// <summary>Monetary or units.</summary>
    public CreditKind Kind { get; }

    /// <summary>How many decimals an amount of this type may have.</summary>
    public int Scale { get; }

    /// <summary>Parses an ISO 4217 currency code (upper-case, as ISO writes it).</summary>
    public static bool TryCurrency(string? code, out CreditType creditType, [NotNullWhen(false)] out string? error)
    {
        if (code is not null && Iso4217.TryGetMinorUnits(code, out var minorUnits))
        {
            creditType = new CreditType(code, CreditKind.Monetary, minorUnits);
            error = null;
            return true;
        }

        creditType = default;
        error = "Must be an ISO 4217 currency code such as USD or EUR.";
        return false;
    }

    /// <summary>Parses a unit key: a lower-case letter, then up to 63 lower-case letters, digits or underscores.</summary>
    public static bool TryUnit(string? key, out CreditType creditType, [NotNullWhen(false)] out string? error)
    {
        if (IsUnitKey(key))
        {
            creditType = new CreditType(key!, CreditKind.Units, LedgerLimits.UnitScale);
            error = null;
            return true;
        }

        creditType = default;
        error = "Must be a unit key: a lower-case letter followed by up to 63 lower-case letters, digits or underscores.";
        return false;
    }

    /// <summary>
    /// Parses either form: an upper-case ISO 4217 code is a currency, anything else must be a unit key. The two
    /// cannot be confused, because unit keys start with a lower-case letter.
    /// </summary>
    public static bool TryParse(string? code, out CreditType creditType, [NotNullWhen(false)] out string? error)
    {
        if (TryCurrency(code, out creditType, out _) || TryUnit(code, out creditType, out _))
        {
            error = null;
            return true;
        }

        error = "Must be an ISO 4217 currency code (USD) or a unit key (api_calls).";
        return false;
    }

    /// <summary>Parses either form (see <see cref="TryParse"/>), throwing <see cref="ArgumentException"/> when it is neither.</summary>
    public static CreditType Parse(string code) =>
        TryParse(code, out var creditType, out var error) ? creditType : throw new ArgumentException(error, nameof(code));

    /// <summary>A currency credit type, throwing <see cref="ArgumentException"/> for an unknown code.</summary>
    public static CreditType Currency(string code) =>
        TryCurrency(code, out var creditType, out var error) ? creditType : throw new ArgumentException(error, nameof(code));

    /// <summary>A unit credit type, throwing <see cref="ArgumentException"/> for an invalid key.</summary>
    public static CreditType Unit(string key) =>
        TryUnit(key, out var creditType, out var error) ? creditType : throw new ArgumentException(error, nameof(key));

    /// <inheritdoc />
    public override string ToString() => Code ?? string.Empty;

    private static bool IsUnitKey(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 64 || !char.IsAsciiLetterLower(key[0]))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
