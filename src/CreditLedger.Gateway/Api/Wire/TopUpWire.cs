using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of the credit-top-ups resource.

/// <summary>The body of <c>PUT /v1/customers/{customerId}/credit-top-ups/{creditType}</c>.</summary>
/// <param name="Threshold">A request is made when available drops below this: a decimal string, zero or more.</param>
/// <param name="TargetBalance">What a request tops available up to: above the threshold.</param>
public sealed record TopUpRuleBody(string Threshold, string TargetBalance);

/// <summary>The body of <c>POST .../credit-top-ups/{creditType}/requests/{requestId}/fail</c>.</summary>
/// <param name="Reason">Why the charge failed, 1-500 characters.</param>
public sealed record FailTopUpBody(string Reason);

/// <summary>A top-up request.</summary>
/// <param name="RequestId">Its id, <c>tur_...</c>.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="CreditType">The credit type to top up.</param>
/// <param name="Status"><c>outstanding</c>, <c>fulfilled</c> or <c>failed</c>.</param>
/// <param name="Amount">What brings available to the target balance when it was requested.</param>
/// <param name="Available">Available when it was requested.</param>
/// <param name="Threshold">The rule's threshold then.</param>
/// <param name="CreatedAt">When it was requested.</param>
/// <param name="GrantId">The grant that fulfilled it (fulfilled only).</param>
/// <param name="Reason">Why it failed (failed only).</param>
/// <param name="EndedAt">When it was fulfilled or failed.</param>
public sealed record TopUpRequestResponse(
    string RequestId,
    string CustomerId,
    string CreditType,
    string Status,
    string Amount,
    string Available,
    string Threshold,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GrantId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EndedAt);

/// <summary>A top-up rule with its outstanding request (or null) and the customer's version.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="CreditType">The credit type.</param>
/// <param name="Threshold">Requests are made when available drops below this.</param>
/// <param name="TargetBalance">What a request tops available up to.</param>
/// <param name="OutstandingRequest">The request outstanding, or null.</param>
/// <param name="Version">The customer's version.</param>
public sealed record TopUpRuleResponse(
    string CustomerId, string CreditType, string Threshold, string TargetBalance, TopUpRequestResponse? OutstandingRequest, long Version);
