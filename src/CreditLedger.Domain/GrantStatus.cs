namespace CreditLedger.Domain;

/// <summary>Where a grant is in its life at an instant; see <see cref="Grant.StatusAt"/> for the precedence.</summary>
public enum GrantStatus
{
    /// <summary>Its <c>effectiveAt</c> is still in the future.</summary>
    Scheduled,

    /// <summary>Usable: effective, not expired, not voided, with credits remaining.</summary>
    Active,

    /// <summary>Effective and unexpired, but nothing remains (everything is pending or consumed).</summary>
    Depleted,

    /// <summary>Its <c>expiresAt</c> has passed.</summary>
    Expired,

    /// <summary>An operator voided it.</summary>
    Voided,
}
