using System.Text.Json;
using CreditLedger.Contracts.Customers;

namespace CreditLedger.Gateway.Api;

/// <summary>A command request read by <see cref="ApiRequest.ReadCommandAsync"/>: the customer's grain, the caller, the body.</summary>
/// <param name="Grain">The customer's grain.</param>
/// <param name="Context">Who asks, the request id and idempotency key.</param>
/// <param name="Body">The JSON body (an object); dispose it when done.</param>
public sealed record CommandRequest(ICustomerCreditGrain Grain, CommandContext Context, JsonDocument Body) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Body.Dispose();
}
