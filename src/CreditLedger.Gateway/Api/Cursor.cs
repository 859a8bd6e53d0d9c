using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// Opaque list cursors: base64url of a kind and the position after which the next page starts. Clients pass
/// back what they were given; anything else is a validation error, never a 500.
/// </summary>
public static class Cursor
{
    /// <summary>A cursor for a position.</summary>
    public static string Encode(string kind, string position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{kind}:{position}"));

    /// <summary>A cursor for a numeric position.</summary>
    public static string Encode(string kind, long position) => Encode(kind, position.ToString(CultureInfo.InvariantCulture));

    /// <summary>The position in a cursor of <paramref name="kind"/>, if it is one.</summary>
    public static bool TryDecode(string? cursor, string kind, out string position)
    {
        position = string.Empty;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 400)
        {
            return false;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (!text.StartsWith(kind + ":", StringComparison.Ordinal))
            {
                return false;
            }

            position = text[(kind.Length + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads <c>?cursor=</c> of a list of <paramref name="kind"/>: no cursor is the first page (null position);
    /// one this list did not return is a validation problem.
    /// </summary>
    public static bool TryRead(HttpRequest request, string kind, out string? position, out JsonHttpResult<Problem>? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        position = null;
        problem = null;
        var cursor = request.Query["cursor"].ToString();
        if (cursor.Length == 0)
        {
            return true;
        }

        if (TryDecode(cursor, kind, out string text))
        {
            position = text;
            return true;
        }

        problem = Problems.Validation("cursor", "Not a cursor this list returned.");
        return false;
    }

    /// <summary>Reads a numeric <c>?cursor=</c> the same way.</summary>
    public static bool TryRead(HttpRequest request, string kind, out long? position, out JsonHttpResult<Problem>? problem)
    {
        position = null;
        if (!TryRead(request, kind, out string? text, out problem))
        {
            return false;
        }

        if (text is not null)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                problem = Problems.Validation("cursor", "Not a cursor this list returned.");
                return false;
            }

            position = value;
        }

        return true;
    }

    /// <summary>The numeric position in a cursor of <paramref name="kind"/>, if it is one.</summary>
    public static bool TryDecode(string? cursor, string kind, out long position)
    {
        position = 0;
        return TryDecode(cursor, kind, out string text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }
}
