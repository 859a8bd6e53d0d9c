namespace CreditLedger.Contracts.Customers;

/// <summary>The balances of one credit type.</summary>
/// <param name="CreditType">ISO 4217 code or unit key.</param>
/// <param name="Type"><c>monetary</c> or <c>units</c>.</param>
/// <param name="Available">Usable now.</param>
/// <param name="Pending">Applied to unpaid invoices.</param>
/// <param name="ExpiringSoon">Available and expiring within the horizon.</param>
/// <param name="Granted">Ever granted.</param>
/// <param name="Consumed">Applied to paid invoices.</param>
/// <param name="Expired">Removed by expiry.</param>
/// <param name="Voided">Removed by voids.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.BalanceView")]
public sealed record BalanceView(
    [property: Id(0)] string CreditType,
    [property: Id(1)] string Type,
    [property: Id(2)] decimal Available,
    [property: Id(3)] decimal Pending,
    [property: Id(4)] decimal ExpiringSoon,
    [property: Id(5)] decimal Granted,
    [property: Id(6)] decimal Consumed,
    [property: Id(7)] decimal Expired,
    [property: Id(8)] decimal Voided);
