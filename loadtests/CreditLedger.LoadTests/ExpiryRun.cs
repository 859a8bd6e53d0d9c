using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using Spectre.Console;

namespace CreditLedger.LoadTests;

/// <summary>
/// The expiry scenario: every seeded customer gets one grant, all expiring at the same instant, and the run measures
/// how long after that instant the engine has recorded every expiry in the ledger and queued its webhook event
/// (the engine's reminders do this; no request is made after the grants). Fails when they are not all recorded
/// within the bound.
/// </summary>
internal static class ExpiryRun
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(LoadOptions options, EngineClient engine, IReadOnlyList<string> customers)
    {
        var expiresAt = DateTimeOffset.UtcNow + options.Duration;
        await CustomerSetup.ForEachAsync(
            options, customers, $"Granting {customers.Count} credits expiring at {expiresAt:HH:mm:ss}", (customer, token) => engine.GrantExpiringAsync(customer, expiresAt, token));

        if (DateTimeOffset.UtcNow >= expiresAt)
        {
            AnsiConsole.MarkupLine("[red]The grants took longer than --duration: the expiry instant passed before they were all made.[/]");
            return 2;
        }

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow);
        var clock = Stopwatch.StartNew();
        var samples = new List<(double Seconds, long Entries, long Events)>();
        await using var dataSource = NpgsqlDataSource.Create(options.Database!);
        double? entriesDone = null, eventsDone = null;
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var recorded = progress.AddTask("Expiries recorded", maxValue: customers.Count);
            while ((entriesDone is null || eventsDone is null) && clock.Elapsed < Bound)
            {
                var (entries, events) = await CountAsync(dataSource, customers);
                var seconds = clock.Elapsed.TotalSeconds;
                samples.Add((seconds, entries, events));
                recorded.Value = entries;
                entriesDone ??= entries == customers.Count ? seconds : null;
                eventsDone ??= events == customers.Count ? seconds : null;
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        });

        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("grants expiring at the same instant", customers.Count.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("every expiry entry recorded after", Seconds(entriesDone));
        table.AddRow("every expired event queued after", Seconds(eventsDone));
        AnsiConsole.Write(table);

        Directory.CreateDirectory(options.Output);
        var summary = new
        {
            scenario = "expiry",
            grants = customers.Count,
            expiresAt,
            entriesRecordedAfterSeconds = entriesDone,
            eventsQueuedAfterSeconds = eventsDone,
            samples = samples.Select(s => new { seconds = Math.Round(s.Seconds, 2), entries = s.Entries, events = s.Events }),
        };
        await File.WriteAllTextAsync(Path.Combine(options.Output, "summary.json"), JsonSerializer.Serialize(summary, Indented));
        AnsiConsole.MarkupLine($"Summary in {options.Output}");
        return entriesDone is null || eventsDone is null ? 1 : 0;
    }

    private static async Task<(long Entries, long Events)> CountAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> customers)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM ledger_entries WHERE customer_id = ANY($1) AND kind = 'expired'),
                   (SELECT count(*) FROM credit_events WHERE customer_id = ANY($1) AND event_type = 'account.credits.expired')
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static string Seconds(double? seconds) =>
        seconds is { } s ? s.ToString("0.0 's'", CultureInfo.InvariantCulture) : $"not within {Bound.TotalMinutes:0} min";
}
