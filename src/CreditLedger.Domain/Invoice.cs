namespace CreditLedger.Domain;

/// <summary>
/// An invoice that credits were applied to, as the apply left it plus its current status. An invoice id is
/// applied at most once per customer; <see cref="AppliedVersion"/> is the customer's version after the apply,
/// which a repeated apply request answers with again.
/// </summary>
/// <param name="InvoiceId">The caller's invoice id.</param>
/// <param name="Status">Pending, paid or voided.</param>
/// <param name="Lines">Per credit type: asked, applied (in request order).</param>
/// <param name="Applications">The grants drawn from, in drawdown order per line.</param>
/// <param name="AppliedVersion">The customer's version right after the apply.</param>
/// <param name="AppliedAt">When credits were applied.</param>
public sealed record Invoice(
    string InvoiceId,
    InvoiceStatus Status,
    IReadOnlyList<InvoiceLine> Lines,
    IReadOnlyList<CreditApplication> Applications,
    long AppliedVersion,
    DateTimeOffset AppliedAt)
{
    /// <summary>
    /// Whether <paramref name="requested"/> is the same apply request as the one this invoice was applied
    /// with: the same credit types asking the same amounts, in any order (<c>"150"</c> equals <c>"150.00"</c>).
    /// </summary>
    public bool IsSameRequest(IReadOnlyList<InvoiceRequestLine> requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (requested.Count != Lines.Count)
        {
            return false;
        }

        foreach (var line in requested)
        {
            var match = Lines.FirstOrDefault(l => l.CreditType == line.CreditType);
            if (match is null || match.Requested != line.Requested)
            {
                return false;
            }
        }

        return true;
    }
}
