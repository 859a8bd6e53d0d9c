namespace CreditLedger.Contracts.Customers;

/// <summary>
/// The answer to a command that may be sent again: its status and the customer's version, and the two answers the
/// engine derives from it, for a retry (the same answer, marked as replayed) and for a key used with another request.
/// </summary>
/// <typeparam name="TSelf">The answer's own type.</typeparam>
public interface ICommandResult<TSelf>
    where TSelf : ICommandResult<TSelf>
{
    /// <summary>How the command ended.</summary>
    CommandStatus Status { get; }

    /// <summary>The customer's version after the command.</summary>
    long Version { get; }

    /// <summary>This answer, given again to a retry.</summary>
    TSelf AsReplayed();

    /// <summary>The answer to an idempotency key used before with a different request.</summary>
    static abstract TSelf KeyReused(long version, CommandError reason);
}
