using CreditLedger.Hosting;
using CreditLedger.Storage.Tests.Grains;
using CreditLedger.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditLedger.Storage.Tests;

/// <summary>
/// The Orleans ADO.NET reminder provider against the project's schema: a reminder with a period below
/// Orleans' one-minute default fires, keeps firing after the silo restarts, and leaves no row once
/// unregistered. Waits are on the ticks themselves, with timeouts that name the reminder.
/// </summary>
public sealed class ReminderContractTests(LedgerDatabaseFixture database) : IClassFixture<LedgerDatabaseFixture>
{
    private static readonly TimeSpan TickTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Reminder_LoweredMinimumPeriod_FiresSurvivesRestartAndIsGoneAfterUnregister()
    {
        const string key = "customer:reminder-probe";
        var settings = TestSilo.Settings("reminder-contract", ClusteringMode.Localhost);
        ReminderTicks.Reset(key);

        var silo = await TestSilo.StartAsync(database.ConnectionString, settings);
        await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>(key).StartAsync(TimeSpan.FromSeconds(1));
        await ReminderTicks.NextAsync(key, TickTimeout);
        Assert.Equal(1L, await ReminderRowsAsync(key));
        await TestSilo.StopAsync(silo);

        ReminderTicks.Reset(key);
        silo = await TestSilo.StartAsync(database.ConnectionString, settings);
        try
        {
            // Nothing calls the grain after the restart: only the stored reminder can wake it.
            await ReminderTicks.NextAsync(key, TickTimeout);

            await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>(key).StopAsync();
            Assert.Equal(0L, await ReminderRowsAsync(key));
        }
        finally
        {
            await TestSilo.StopAsync(silo);
        }
    }

    private Task<long> ReminderRowsAsync(string key) => database.ScalarAsync<long>(
        "SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%' || $1 AND reminder_name = $2",
        key,
        ReminderProbeGrain.ReminderName);
}
