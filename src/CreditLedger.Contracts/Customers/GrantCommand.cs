using CreditLedger.Domain;

namespace CreditLedger.Contracts.Customers;

/// <summary>A grant request, parsed and validated at the edge (the grain checks the time-dependent rules).</summary>
/// <param name="CreditType">The credit type, parsed at the edge (on the wire: its code, see <see cref="CreditTypeCodec"/>).</param>
/// <param name="Amount">Above zero, in the credit type's scale.</param>
/// <param name="Reason">1-500 characters.</param>
/// <param name="Priority">0-100; null means 50.</param>
/// <param name="Category">Paid or promotional (on the wire: its name, see <see cref="GrantCategoryCodec"/>).</param>
/// <param name="EffectiveAt">Null means now.</param>
/// <param name="ExpiresAt">Null means never.</param>
/// <param name="TopUpRequestId">The outstanding top-up request the grant fulfils, if any.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.GrantCommand")]
public sealed record GrantCommand(
    [property: Id(0)] CreditType CreditType,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Reason,
    [property: Id(3)] int? Priority,
    [property: Id(4)] GrantCategory Category,
    [property: Id(5)] DateTimeOffset? EffectiveAt,
    [property: Id(6)] DateTimeOffset? ExpiresAt,
    [property: Id(7)] string? TopUpRequestId = null);
