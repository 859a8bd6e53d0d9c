namespace CreditLedger.Domain;

/// <summary>
/// One credit type an invoice asks credits for: its currency total, or the quantity of a unit used.
/// <see cref="Applied"/> is what credits covered; the rest (<see cref="Due"/>) is charged.
/// </summary>
/// <param name="CreditType">The currency or unit.</param>
/// <param name="Requested">The total or quantity asked for, at least zero.</param>
/// <param name="Applied">What credits covered, at most <paramref name="Requested"/>.</param>
public sealed record InvoiceLine(CreditType CreditType, decimal Requested, decimal Applied)
{
    /// <summary>What credits did not cover.</summary>
    public decimal Due => Requested - Applied;
}
