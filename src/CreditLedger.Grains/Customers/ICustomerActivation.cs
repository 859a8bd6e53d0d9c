using CreditLedger.Domain;

namespace CreditLedger.Grains.Customers;

/// <summary>What <see cref="CustomerCommands"/> asks of the activation that hosts it.</summary>
internal interface ICustomerActivation
{
    /// <summary>The customer's last saved snapshot, the starting point of a load.</summary>
    CustomerCreditsSnapshot SavedSnapshot { get; }

    /// <summary>
    /// Upkeep after the credits changed (or were loaded): a snapshot when enough entries accumulated, and the expiry
    /// reminder due at the next expiry (removed when none is left, if <paramref name="unregisterWhenIdle"/>). Both are
    /// optimisations: failures are logged, never thrown.
    /// </summary>
    Task AfterChangeAsync(CustomerCredits credits, bool unregisterWhenIdle);

    /// <summary>Memory is not the ledger's any more: go away once idle, so that the next call loads afresh.</summary>
    void Deactivate();
}
