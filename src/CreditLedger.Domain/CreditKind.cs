namespace CreditLedger.Domain;

/// <summary>Whether a credit type is money or units of something.</summary>
public enum CreditKind
{
    /// <summary>Money in an ISO 4217 currency; amounts have exactly the currency's minor units.</summary>
    Monetary,

    /// <summary>Units of a metered item (<c>api_calls</c>); amounts have up to six decimals.</summary>
    Units,
}
