namespace CreditLedger.Domain;

/// <summary>Credits drawn from one grant for one invoice.</summary>
/// <param name="GrantId">The grant drawn from.</param>
/// <param name="CreditType">Its credit type.</param>
/// <param name="Amount">How much, above zero.</param>
public sealed record CreditApplication(string GrantId, CreditType CreditType, decimal Amount);
