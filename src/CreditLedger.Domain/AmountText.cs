using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CreditLedger.Domain;

/// <summary>
/// Amounts as the API writes and reads them: decimal strings, never binary floating point. Parsing accepts
/// <c>^[0-9]+(\.[0-9]+)?$</c> (no sign, exponent or spaces) and rejects, never rounds, a value that needs more
/// decimals than its credit type allows (<c>"50.000"</c> USD is 50.00; <c>"10.001"</c> USD is rejected).
/// </summary>
public static class AmountText
{
    // 1,000,000,000,000 has 13 digits; anything longer (after leading zeros) is above the limit.
    private const int MaxIntegerDigits = 13;

    /// <summary>Parses a non-negative amount of <paramref name="creditType"/>.</summary>
    /// <param name="text">The amount as the caller wrote it.</param>
    /// <param name="creditType">The credit type, whose scale bounds the decimals.</param>
    /// <param name="allowZero">Whether zero is a valid value here (amounts are above zero unless said otherwise).</param>
    /// <param name="amount">The exact value when valid.</param>
    /// <param name="error">Why the text is not a valid amount, when it is not.</param>
    /// <returns><see langword="true"/> with the exact value, or <see langword="false"/> with a one-sentence reason.</returns>
    public static bool TryParse(string? text, CreditType creditType, bool allowZero, out decimal amount, [NotNullWhen(false)] out string? error)
    {
        amount = 0;
        if (!IsPlainDecimal(text))
        {
            error = "Must be a decimal string of digits with an optional fractional part, such as \"50.00\".";
            return false;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = (point < 0 ? text : text[..point]).TrimStart('0');
        var fractionPart = point < 0 ? string.Empty : text[(point + 1)..].TrimEnd('0');

        if (fractionPart.Length > creditType.Scale)
        {
            error = creditType.Scale == 0
                ? $"{creditType.Code} amounts are whole numbers."
                : $"{creditType.Code} amounts have at most {creditType.Scale} decimal place(s).";
            return false;
        }

        if (integerPart.Length > MaxIntegerDigits)
        {
            error = TooLarge();
            return false;
        }

        // At most 13 + 6 significant digits remain: decimal holds them exactly.
        var exact = fractionPart.Length == 0 ? (integerPart.Length == 0 ? "0" : integerPart) : $"{integerPart}.{fractionPart}";
        amount = decimal.Parse(exact, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (amount > LedgerLimits.MaxAmount)
        {
            amount = 0;
            error = TooLarge();
            return false;
        }

        if (amount == 0 && !allowZero)
        {
            error = "Must be above zero.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Writes <paramref name="amount"/> the way the API does: monetary amounts with exactly the currency's
    /// minor units (<c>"50.00"</c>, <c>"1500"</c> JPY), unit amounts without trailing zeros (<c>"2.5"</c>),
    /// zero as <c>"0.00"</c> USD or <c>"0"</c>. Negative amounts (signed changes) carry a leading minus.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="amount"/> has more decimals than the credit type allows.</exception>
    public static string Format(decimal amount, CreditType creditType)
    {
        if (decimal.Round(amount, creditType.Scale) != amount)
        {
            throw new ArgumentException($"{amount} has more decimals than {creditType.Code} allows.", nameof(amount));
        }

        if (creditType.Kind == CreditKind.Monetary)
        {
            return amount.ToString("F" + creditType.Scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        // Dividing by 1 with trailing zeros drops the scale decimal carries from its inputs.
        var normalized = amount / 1.000000000000000000000000000000000m;
        return normalized == 0 ? "0" : normalized.ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsPlainDecimal([NotNullWhen(true)] string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point < 0 ? text.AsSpan() : text.AsSpan(0, point);
        var fractionPart = point < 0 ? [] : text.AsSpan(point + 1);
        return integerPart.Length > 0
            && !integerPart.ContainsAnyExceptInRange('0', '9')
            && (point < 0 || (fractionPart.Length > 0 && !fractionPart.ContainsAnyExceptInRange('0', '9')));
    }

    private static string TooLarge() =>
        $"Must be at most {LedgerLimits.MaxAmount.ToString("N0", CultureInfo.InvariantCulture)}.";
}
