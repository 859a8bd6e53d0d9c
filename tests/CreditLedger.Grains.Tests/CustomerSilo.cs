using CreditLedger.Contracts;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Hosting;
using CreditLedger.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Core.Internal;

namespace CreditLedger.Grains.Tests;

/// <summary>A silo configured as the engine configures its own, against a test database, with the ledger's clock chosen by the test.</summary>
internal sealed class CustomerSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private CustomerSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    public static async Task<CustomerSilo> StartAsync(
        string connectionString, string serviceId, TimeProvider? clock = null, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        var configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{LedgerDatabase.ConnectionStringName}"] = connectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<LedgerDatabase>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LedgerDatabase>());
        if (clock is not null)
        {
            builder.Services.AddKeyedSingleton(LedgerClock.ServiceKey, clock);
        }

        builder.Services.AddOrleans(silo => silo.AddCreditLedgerSilo(new OrleansSettings
        {
            ClusterId = serviceId,
            ServiceId = serviceId,
            MinimumReminderPeriod = TimeSpan.FromSeconds(1),
        }));

        var host = builder.Build();
        await host.StartAsync();
        return new CustomerSilo(host);
    }

    public ICustomerCreditGrain Customer(string customerId) =>
        Grains.GetGrain<ICustomerCreditGrain>(GrainKeys.ForCustomer(CustomerId.Parse(customerId)));

    /// <summary>Asks the customer's activation to go away once idle; the next call activates it again from storage.</summary>
    public static async Task DeactivateAsync(ICustomerCreditGrain grain) =>
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
