namespace CreditLedger.Gateway.Tests.Api;

/// <summary>
/// One in-memory engine shared by the test classes that need nothing of their own from it: each test works on
/// customers, keys and endpoints it creates, so the classes only share the cost of starting a host. The classes of
/// one collection run one after another.
/// </summary>
[StartEarly(1)]
[CollectionDefinition(Name)]
public sealed class SharedEngine : ICollectionFixture<ApiFixture>
{
    public const string Name = "shared engine";
}

/// <summary>
/// One engine for the tests that prove a refusal changed nothing by comparing every ledger table before and after:
/// no other class writes to its database, and its classes run one after another, so those counts move only with
/// the test that reads them.
/// </summary>
[StartEarly(2)]
[CollectionDefinition(Name)]
public sealed class RefusalEngine : ICollectionFixture<ApiFixture>
{
    public const string Name = "refusal engine";
}
