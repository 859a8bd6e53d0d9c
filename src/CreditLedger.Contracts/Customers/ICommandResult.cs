namespace CreditLedger.Contracts.Customers;

/// <summary>
/// The answer to a command that may be sent again with an idempotency key: the two answers the engine derives for
/// it, for a retry (the same answer, marked as replayed) and for a key used before with another request.
/// </summary>
/// <typeparam name="TSelf">The answer's own type.</typeparam>
public interface ICommandResult<TSelf>
    where TSelf : ICommandResult<TSelf>
{
    /// <summary>This answer, given again to a retry.</summary>
    TSelf AsReplayed();

    /// <summary>The answer to an idempotency key used before with a different request.</summary>
    static abstract TSelf KeyReused(long version, CommandError reason);
}
