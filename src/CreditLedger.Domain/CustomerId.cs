using System.Diagnostics.CodeAnalysis;

namespace CreditLedger.Domain;

/// <summary>
/// The id of a customer, chosen by the caller: 1 to <see cref="LedgerLimits.MaxIdLength"/> characters of
/// <c>A-Z a-z 0-9 . _ : -</c>. Ids are compared ordinally, so <c>"20235"</c> and <c>"020235"</c> are different customers.
/// </summary>
public readonly record struct CustomerId
{
    private CustomerId(string value) => Value = value;

    /// <summary>The id as the caller wrote it.</summary>
    public string Value { get; }

    /// <summary>Parses an id, or explains why it is not one.</summary>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid id; otherwise <paramref name="error"/> says why.</returns>
    public static bool TryParse(string? text, out CustomerId id, [NotNullWhen(false)] out string? error)
    {
        if (!ResourceId.IsValid(text, out error))
        {
            id = default;
            return false;
        }

        id = new CustomerId(text!);
        return true;
    }

    /// <summary>Parses an id, throwing <see cref="ArgumentException"/> when it is not one.</summary>
    public static CustomerId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new ArgumentException(error, nameof(text));

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
