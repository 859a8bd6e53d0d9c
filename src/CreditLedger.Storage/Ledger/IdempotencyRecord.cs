namespace CreditLedger.Storage.Ledger;

/// <summary>
/// The remembered answer to a command sent with an idempotency key, scoped to the customer and the operation.
/// A retry with the same key and the same request (same <see cref="RequestHash"/>) gets <see cref="Response"/> again.
/// </summary>
/// <param name="Operation">The operation (<c>grant</c>, <c>void-grant</c>, <c>pay</c>, <c>void-invoice</c>).</param>
/// <param name="Key">The caller's key, 1 to 255 characters.</param>
/// <param name="RequestHash">SHA-256 of the request's canonical form.</param>
/// <param name="Response">The answer, as JSON, with its status.</param>
/// <param name="Version">The customer's version after the command.</param>
public sealed record IdempotencyRecord(string Operation, string Key, byte[] RequestHash, string Response, long Version);
