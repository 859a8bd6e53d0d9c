namespace CreditLedger.Gateway.Auth;

/// <summary>
/// What an API key may do. <see cref="Admin"/> may do everything (and alone manages API keys); a write scope
/// does not imply <see cref="Read"/>.
/// </summary>
public static class Scopes
{
    /// <summary>Everything, including API keys and webhook endpoints.</summary>
    public const string Admin = "admin";

    /// <summary>Customers, grants, voiding grants, credit alerts.</summary>
    public const string CreditsWrite = "credits:write";

    /// <summary>Applying credits, paying and voiding invoices.</summary>
    public const string InvoicesWrite = "invoices:write";

    /// <summary>The GETs on customers, grants, balances, history, invoices and reports.</summary>
    public const string Read = "read";

    /// <summary>Every scope.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, CreditsWrite, InvoicesWrite, Read];

    /// <summary>The claim type that carries a key's scopes.</summary>
    public const string ClaimType = "scope";

    /// <summary>The claim type that carries a key's id.</summary>
    public const string KeyIdClaimType = "key_id";
}
