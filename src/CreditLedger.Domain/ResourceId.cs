using System.Diagnostics.CodeAnalysis;

namespace CreditLedger.Domain;

/// <summary>
/// The syntax shared by every caller-chosen id (customers, invoices, grants): 1 to
/// <see cref="LedgerLimits.MaxIdLength"/> characters of <c>A-Z a-z 0-9 . _ : -</c>.
/// </summary>
public static class ResourceId
{
    /// <summary>Checks <paramref name="text"/> against the id syntax.</summary>
    /// <returns><see langword="true"/> when valid; otherwise <paramref name="error"/> says why in one sentence.</returns>
    public static bool IsValid([NotNullWhen(true)] string? text, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(text))
        {
            error = "An id must not be empty.";
            return false;
        }

        if (text.Length > LedgerLimits.MaxIdLength)
        {
            error = $"An id must be at most {LedgerLimits.MaxIdLength} characters long.";
            return false;
        }

        foreach (var c in text)
        {
            if (!IsIdCharacter(c))
            {
                error = "An id may contain only the characters A-Z, a-z, 0-9, '.', '_', ':' and '-'.";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool IsIdCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';
}
