using CreditLedger.Contracts;
using CreditLedger.Domain;
using CreditLedger.Hosting;
using CreditLedger.Storage.Tests.Grains;
using CreditLedger.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Storage;

namespace CreditLedger.Storage.Tests;

/// <summary>
/// The Orleans ADO.NET grain storage provider against the project's schema, through a silo configured as
/// the engine's: write, read, optimistic concurrency, clearing, and rows that must never be shared.
/// </summary>
public sealed class GrainStorageContractTests(LedgerDatabaseFixture database) : IClassFixture<LedgerDatabaseFixture>, IAsyncLifetime
{
    private IHost _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(database.ConnectionString, TestSilo.Settings("storage-contract", ClusteringMode.Localhost));

    public Task DisposeAsync() => TestSilo.StopAsync(_silo);

    private IGrainStorage Storage => _silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Ledger);

    private IGrainFactory Grains => _silo.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task Write_NewRecord_ReadsBackWithVersionOne()
    {
        var grainId = GrainId.Create("probe", "customer:write-new");
        var written = new GrainState<ProbeState>(new ProbeState { Value = "fifty" });

        await Storage.WriteStateAsync("state-probe", grainId, written);
        var read = new GrainState<ProbeState>();
        await Storage.ReadStateAsync("state-probe", grainId, read);

        Assert.Equal("1", written.ETag);
        Assert.Equal("1", read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal("fifty", read.State!.Value);
    }

    [Fact]
    public async Task Write_StaleVersion_ThrowsInconsistentStateAndKeepsTheNewerState()
    {
        var grainId = GrainId.Create("probe", "customer:stale");
        var first = new GrainState<ProbeState>(new ProbeState { Value = "v1" });
        await Storage.WriteStateAsync("state-probe", grainId, first);
        var stale = new GrainState<ProbeState>(new ProbeState { Value = "stale" }) { ETag = first.ETag };
        first.State!.Value = "v2";
        await Storage.WriteStateAsync("state-probe", grainId, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state-probe", grainId, stale));

        var read = new GrainState<ProbeState>();
        await Storage.ReadStateAsync("state-probe", grainId, read);
        Assert.Equal("v2", read.State!.Value);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task Write_NoVersionWhenRecordExists_ThrowsInconsistentState()
    {
        var grainId = GrainId.Create("probe", "customer:second-creator");
        await Storage.WriteStateAsync("state-probe", grainId, new GrainState<ProbeState>(new ProbeState { Value = "first" }));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            Storage.WriteStateAsync("state-probe", grainId, new GrainState<ProbeState>(new ProbeState { Value = "second" })));
    }

    [Fact]
    public async Task Clear_ExistingRecord_RemovesStateAndAdvancesVersion()
    {
        var grainId = GrainId.Create("probe", "customer:clear");
        var state = new GrainState<ProbeState>(new ProbeState { Value = "to be cleared" });
        await Storage.WriteStateAsync("state-probe", grainId, state);

        await Storage.ClearStateAsync("state-probe", grainId, state);
        var read = new GrainState<ProbeState>();
        await Storage.ReadStateAsync("state-probe", grainId, read);

        Assert.Equal("2", state.ETag);
        Assert.False(read.RecordExists);
        Assert.Null(read.State!.Value);
    }

    [Fact]
    public async Task Read_NeverWritten_IsEmptyWithoutVersion()
    {
        var read = new GrainState<ProbeState>();

        await Storage.ReadStateAsync("state-probe", GrainId.Create("probe", "customer:never"), read);

        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task Grains_Customers20235And020235_NeverShareState()
    {
        var plain = Grains.GetGrain<IStateProbeGrain>(GrainKeys.ForCustomer(CustomerId.Parse("20235")));
        var padded = Grains.GetGrain<IStateProbeGrain>(GrainKeys.ForCustomer(CustomerId.Parse("020235")));

        await plain.SetAsync("plain");
        await padded.SetAsync("padded");
        await plain.DeactivateAsync();
        await padded.DeactivateAsync();

        Assert.Equal("plain", await plain.GetAsync());
        Assert.Equal("padded", await padded.GetAsync());
        Assert.Equal(2L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_storage WHERE state_name = 'state-probe' AND key_string IN ('customer:20235', 'customer:020235')"));
    }

    [Fact]
    public async Task Grains_HexLookingCustomerIds_NeverShareState()
    {
        var lower = Grains.GetGrain<IStateProbeGrain>(GrainKeys.ForCustomer(CustomerId.Parse("abc")));
        var padded = Grains.GetGrain<IStateProbeGrain>(GrainKeys.ForCustomer(CustomerId.Parse("0ABC")));

        await lower.SetAsync("lower");
        await padded.SetAsync("padded");
        await lower.DeactivateAsync();
        await padded.DeactivateAsync();

        Assert.Equal("lower", await lower.GetAsync());
        Assert.Equal("padded", await padded.GetAsync());
    }

    [Fact]
    public async Task Grains_TwoGrainTypesWithTheSameKey_NeverShareState()
    {
        const string key = "customer:same-key";
        var one = Grains.GetGrain<IStateProbeGrain>(key);
        var other = Grains.GetGrain<IOtherStateProbeGrain>(key);

        await one.SetAsync("one");
        await one.DeactivateAsync();
        var otherBefore = await other.GetAsync();
        await other.SetAsync("other");
        await other.DeactivateAsync();

        Assert.Null(otherBefore);
        Assert.Equal("one", await one.GetAsync());
        Assert.Equal("other", await other.GetAsync());
    }

    [Fact]
    public async Task Storage_Payload_IsPlainSystemTextJson()
    {
        var grain = Grains.GetGrain<IStateProbeGrain>("customer:json");
        await grain.SetAsync("readable");

        var json = await database.ScalarAsync<string>(
            "SELECT convert_from(payload, 'UTF8') FROM orleans_storage WHERE state_name = 'state-probe' AND key_string = 'customer:json'");

        Assert.Equal("""{"value":"readable"}""", json, ignoreCase: true);
    }
}
