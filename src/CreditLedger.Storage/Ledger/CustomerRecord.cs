namespace CreditLedger.Storage.Ledger;

/// <summary>A customer as stored.</summary>
/// <param name="CustomerId">The caller's id.</param>
/// <param name="Name">Display name, if given.</param>
/// <param name="Email">Billing e-mail, if given.</param>
/// <param name="CreatedAt">When it was first created.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record CustomerRecord(string CustomerId, string? Name, string? Email, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
