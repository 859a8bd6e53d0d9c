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
/// say too little): the domain and the telemetry depend on nothing of ours, HTTP stays in the gateway, storage
/// neither hosts nor starts processes, and only the grains reach the ledger writer.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(CustomerId).Assembly;
    private static readonly Assembly Contracts = typeof(GrainKeys).Assembly;
    private static readonly Assembly Grains = typeof(CustomerCreditGrain).Assembly;
    private static readonly Assembly Storage = typeof(LedgerDatabase).Assembly;
    private static readonly Assembly Telemetry = typeof(CreditLedger.Telemetry.EngineMetrics).Assembly;
    private static readonly Assembly Webhooks = typeof(CreditLedger.Webhooks.WebhookSender).Assembly;
    private static readonly Assembly Hosting = typeof(CreditLedger.Hosting.SiloBuilderExtensions).Assembly;
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
            "CreditLedger.Contracts", "CreditLedger.Grains", "CreditLedger.Storage", "CreditLedger.Telemetry", "CreditLedger.Webhooks",
            "CreditLedger.Hosting", "CreditLedger.Gateway", "Orleans", "Npgsql", "Microsoft")));
    }

    [Fact]
    public void Telemetry_DependsOnNothingOfOursNorOfTheInfrastructure()
    {
        Assert.Empty(Failing(Types.InAssembly(Telemetry).ShouldNot().HaveDependencyOnAny(
            "CreditLedger.Domain", "CreditLedger.Contracts", "CreditLedger.Grains", "CreditLedger.Storage", "CreditLedger.Webhooks",
            "CreditLedger.Hosting", "CreditLedger.Gateway", "Orleans", "Npgsql")));
    }

    [Fact]
    public void Storage_NeitherHostsNorStartsProcesses()
    {
        Assert.Empty(Failing(Types.InAssembly(Storage).ShouldNot().HaveDependencyOnAny(
            "CreditLedger.Grains", "CreditLedger.Webhooks", "CreditLedger.Hosting", "Orleans", "System.Diagnostics.Process")));
    }

    [Fact]
    public void ContractsGrainsStorageAndTelemetry_KnowNoHttp()
    {
        Assert.Empty(Failing(Types.InAssemblies([Contracts, Grains, Storage, Telemetry]).ShouldNot().HaveDependencyOnAny(Http)));
    }

    [Fact]
    public void NothingBelowTheGateway_ReferencesIt()
    {
        Assert.Empty(Failing(Types.InAssemblies([Domain, Contracts, Grains, Storage, Telemetry, Webhooks, Hosting]).ShouldNot().HaveDependencyOn("CreditLedger.Gateway")));
    }

    [Fact]
    public void GatewayApi_DoesNotDependOnTheLedgerWriter()
    {
        Assert.Empty(Failing(Types.InAssembly(Gateway).ShouldNot().HaveDependencyOnAny(LedgerWriter)));
    }

    [Fact]
    public void Gateway_ReadsThroughReadOnlyQueries_NotTheGrainsOwn()
    {
        // LedgerQueries also writes a customer's name and alert thresholds, which only its grain may do.
        Assert.Empty(Failing(Types.InAssembly(Gateway).ShouldNot().HaveDependencyOn("CreditLedger.Storage.Ledger.LedgerQueries")));
    }

    [Fact]
    public void OnlyTheGrains_ReachTheLedgerWriter()
    {
        var outside = Types.InAssemblies([Contracts, Storage, Telemetry, Webhooks, Hosting, Gateway])
            .That().DoNotResideInNamespace("CreditLedger.Storage.Ledger")
            .ShouldNot().HaveDependencyOnAny(LedgerWriter);

        Assert.Empty(Failing(outside));
        // The rule sees the writer where it is used: the grain depends on it.
        Assert.False(Types.InAssembly(Grains).ShouldNot().HaveDependencyOnAny(LedgerWriter).GetResult().IsSuccessful);
    }

    private static IEnumerable<string> Failing(ConditionList rule) =>
        rule.GetResult().FailingTypeNames ?? [];
}
