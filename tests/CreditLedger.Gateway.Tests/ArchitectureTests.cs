using System.Reflection;
using CreditLedger.Contracts;
using CreditLedger.Domain;
using CreditLedger.Gateway.Api;
using CreditLedger.Grains;
using CreditLedger.Storage;
using NetArchTest.Rules;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// The walls between the rooms, checked type by type (the Gateway assembly also hosts a silo, so assemblies alone
/// say too little): the domain depends on nothing of ours or of the infrastructure, HTTP stays in the gateway, and
/// only the grains reach the ledger writer.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(CustomerId).Assembly;
    private static readonly Assembly Contracts = typeof(GrainKeys).Assembly;
    private static readonly Assembly Grains = typeof(CustomerCreditGrain).Assembly;
    private static readonly Assembly Storage = typeof(LedgerDatabase).Assembly;
    private static readonly Assembly Silo = typeof(CreditLedger.Silo.SiloBuilderExtensions).Assembly;
    private static readonly Assembly Gateway = typeof(Problems).Assembly;

    // What writes the ledger: the writer, its batch and its statements. Reading the ledger is another matter.
    private static readonly string[] LedgerWriter =
    [
        "CreditLedger.Storage.Ledger.ILedgerWriter",
        "CreditLedger.Storage.Ledger.BatchingLedgerWriter",
        "CreditLedger.Storage.Ledger.GroupCommitStatements",
        "CreditLedger.Storage.Ledger.LedgerAppend",
        "CreditLedger.Storage.Ledger.AppendOutcome",
        "CreditLedger.Storage.Ledger.LedgerWriterOptions",
    ];

    private static readonly string[] Http =
    [
        "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Mvc",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Builder",
        "System.Net.Http",
        "System.Net.HttpStatusCode",
    ];

    [Fact]
    public void Domain_DependsOnNothingOfOursNorOfTheInfrastructure()
    {
        Assert.Empty(Failing(Types.InAssembly(Domain).ShouldNot().HaveDependencyOnAny(
            "CreditLedger.Contracts", "CreditLedger.Grains", "CreditLedger.Storage", "CreditLedger.Silo", "CreditLedger.Gateway",
            "Orleans", "Npgsql", "Microsoft")));
    }

    [Fact]
    public void ContractsGrainsAndStorage_KnowNoHttp()
    {
        Assert.Empty(Failing(Types.InAssemblies([Contracts, Grains, Storage]).ShouldNot().HaveDependencyOnAny(Http)));
    }

    [Fact]
    public void NothingBelowTheGateway_ReferencesIt()
    {
        Assert.Empty(Failing(Types.InAssemblies([Domain, Contracts, Grains, Storage, Silo]).ShouldNot().HaveDependencyOn("CreditLedger.Gateway")));
    }

    [Fact]
    public void GatewayApi_DoesNotDependOnTheLedgerWriter()
    {
        Assert.Empty(Failing(Types.InAssembly(Gateway).ShouldNot().HaveDependencyOnAny(LedgerWriter)));
    }

    [Fact]
    public void OnlyTheGrains_ReachTheLedgerWriter()
    {
        var outside = Types.InAssemblies([Contracts, Storage, Silo, Gateway])
            .That().DoNotResideInNamespace("CreditLedger.Storage.Ledger")
            .ShouldNot().HaveDependencyOnAny(LedgerWriter);

        Assert.Empty(Failing(outside));
        // The rule sees the writer where it is used: the grain depends on it.
        Assert.False(Types.InAssembly(Grains).ShouldNot().HaveDependencyOnAny(LedgerWriter).GetResult().IsSuccessful);
    }

    private static IEnumerable<string> Failing(ConditionList rule) =>
        rule.GetResult().FailingTypeNames ?? [];
}
