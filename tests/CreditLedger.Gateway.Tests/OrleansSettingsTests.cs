using CreditLedger.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// The failure-detection and response-timeout settings reach Orleans' options in silos and clients, Orleans'
/// defaults stay when they are unset, and values that cannot work are refused at start. Clustering follows the
/// database unless set.
/// </summary>
public sealed class OrleansSettingsTests
{
    [Fact]
    public void FaultSettings_Set_ReachSiloAndClientOptions()
    {
        var settings = Read(new()
        {
            ["Orleans:Clustering"] = "adonet",
            ["Orleans:ProbeTimeout"] = "00:00:01",
            ["Orleans:NumMissedProbesLimit"] = "2",
            ["Orleans:ResponseTimeout"] = "00:00:04",
        });

        using var silo = SiloHost(settings);
        using var client = ClientHost(settings);

        var membership = silo.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(1), 2), (membership.ProbeTimeout, membership.NumMissedProbesLimit));
        Assert.Equal(TimeSpan.FromSeconds(4), silo.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), client.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
    }

    [Fact]
    public void FaultSettings_Unset_OrleansDefaults()
    {
        var settings = Read(new() { ["Orleans:Clustering"] = "adonet" });

        using var silo = SiloHost(settings);

        var membership = silo.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal((TimeSpan.FromSeconds(5), 3), (membership.ProbeTimeout, membership.NumMissedProbesLimit));
        Assert.Equal(TimeSpan.FromSeconds(30), silo.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout);
    }

    [Theory]
    [InlineData(null, null, ClusteringMode.Localhost, false)]
    [InlineData("Host=db;Database=ledger", null, ClusteringMode.AdoNet, false)]
    [InlineData("Host=db;Database=ledger", "localhost", ClusteringMode.Localhost, true)]
    [InlineData(null, "adonet", ClusteringMode.AdoNet, false)]
    public void Clustering_Unset_FollowsTheDatabase(string? connectionString, string? clustering, ClusteringMode expected, bool warns)
    {
        var settings = Read(new() { ["ConnectionStrings:Ledger"] = connectionString, ["Orleans:Clustering"] = clustering });

        Assert.Equal((expected, warns), (settings.ClusteringMode, settings.LocalhostWithSharedDatabase));
    }

    [Theory]
    [InlineData(null, "set ConnectionStrings:Ledger")]
    [InlineData("localhost", "needs Orleans:Clustering=adonet")]
    public void GatewayClient_NoMembershipTable_RefusedWithWhatToSet(string? clustering, string advice)
    {
        var settings = Read(new() { ["ConnectionStrings:Ledger"] = clustering is null ? null : "Host=db;Database=ledger", ["Orleans:Clustering"] = clustering });

        var error = Assert.Throws<InvalidOperationException>(() => ClientHost(settings));

        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Orleans:ProbeTimeout", "00:00:00")]
    [InlineData("Orleans:NumMissedProbesLimit", "0")]
    [InlineData("Orleans:ResponseTimeout", "-00:00:01")]
    public void FaultSettings_CannotWork_Refused(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new() { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static OrleansSettings Read(Dictionary<string, string?> values) =>
        OrleansSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    private static IHost SiloHost(OrleansSettings settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOrleans(silo => silo.AddCreditLedgerSilo(settings));
        return builder.Build();
    }

    private static IHost ClientHost(OrleansSettings settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOrleansClient(client => client.AddCreditLedgerClient(settings));
        return builder.Build();
    }
}
