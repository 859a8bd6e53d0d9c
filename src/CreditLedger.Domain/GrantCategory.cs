namespace CreditLedger.Domain;

/// <summary>Why a grant exists, which also orders the drawdown: promotional credits are drawn before paid ones.</summary>
public enum GrantCategory
{
    /// <summary>Credits the customer paid for (the default).</summary>
    Paid,

    /// <summary>Credits given away: welcome, referral, service credits.</summary>
    Promotional,
}
