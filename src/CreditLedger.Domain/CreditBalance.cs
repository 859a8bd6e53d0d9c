namespace CreditLedger.Domain;

/// <summary>A customer's balances of one credit type at an instant.</summary>
/// <param name="CreditType">The currency or unit.</param>
/// <param name="Available">Remaining credits of usable grants.</param>
/// <param name="Pending">Credits applied to unpaid invoices.</param>
/// <param name="ExpiringSoon">Available credits whose grant expires within the horizon asked for.</param>
/// <param name="Granted">Everything ever granted.</param>
/// <param name="Consumed">Credits applied to paid invoices.</param>
/// <param name="Expired">Credits removed by expiry (recorded or due).</param>
/// <param name="Voided">Credits removed by voids.</param>
public sealed record CreditBalance(
    CreditType CreditType,
    decimal Available,
    decimal Pending,
    decimal ExpiringSoon,
    decimal Granted,
    decimal Consumed,
    decimal Expired,
    decimal Voided);
