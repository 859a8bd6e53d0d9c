namespace CreditLedger.Domain;

/// <summary>
/// A customer's automatic top-up rule for one credit type: when a command or reminder leaves available below
/// <see cref="Threshold"/> and no request is outstanding, the engine records a request for the amount that brings
/// available to <see cref="TargetBalance"/>. The billing system charges the customer and fulfils the request with a
/// grant, or fails it.
/// </summary>
/// <param name="Threshold">Requests are made when available drops below this (zero or more).</param>
/// <param name="TargetBalance">What a request tops available up to; above the threshold.</param>
public sealed record TopUpRule(decimal Threshold, decimal TargetBalance);
