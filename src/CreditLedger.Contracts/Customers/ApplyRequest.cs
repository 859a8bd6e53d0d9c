namespace CreditLedger.Contracts.Customers;

/// <summary>One apply of a batch (see <see cref="ICustomerCreditGrain.ApplyBatchAsync"/>).</summary>
/// <param name="InvoiceId">The invoice.</param>
/// <param name="Lines">What it asks credits for.</param>
/// <param name="Context">Who asks.</param>
[GenerateSerializer]
[Alias("CreditLedger.ApplyRequest")]
public sealed record ApplyRequest(
    [property: Id(0)] string InvoiceId,
    [property: Id(1)] IReadOnlyList<InvoiceLineRequest> Lines,
    [property: Id(2)] CommandContext Context);
