using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using Spectre.Console;

namespace CreditLedger.LoadTests;

/// <summary>
/// The schedule scenario: every seeded customer gets a one-minute credit schedule of two periods, all starting at the
/// same instant, and nothing else touches them. The engine's reminders must grant each customer's period 0 at the
/// start and period 1 (with the expiry of period 0) a minute later. The run measures, per boundary, how long after
/// it each customer's period was recorded (the entry's <c>recorded_at</c> against its <c>occurred_at</c>, the boundary),
/// and fails unless every customer's every period is recorded once, within <see cref="Bound"/> of its boundary.
/// </summary>
internal static class ScheduleRun
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(LoadOptions options, EngineClient engine, IReadOnlyList<string> customers)
    {
        var startsAt = DateTimeOffset.UtcNow + options.Duration;
        await CustomerSetup.ForEachAsync(
            options,
            customers,
            $"Creating {customers.Count} one-minute schedules starting at {startsAt:HH:mm:ss}",
            (customer, token) => engine.CreateMinuteScheduleAsync(customer, startsAt, periods: 2, token));

        if (DateTimeOffset.UtcNow >= startsAt)
        {
            AnsiConsole.MarkupLine("[red]Creating the schedules took longer than --duration: the first boundary passed before they were all made.[/]");
            return 2;
        }

        await using var dataSource = NpgsqlDataSource.Create(options.Database!);
        var boundaries = new[] { startsAt, startsAt + Period };
        var results = new List<BoundaryResult>();
        for (var period = 0; period < boundaries.Length; period++)
        {
            var boundary = boundaries[period];
            var deadline = boundary + Bound + TimeSpan.FromSeconds(5);
            if (deadline > DateTimeOffset.UtcNow)
            {
                await Task.Delay(boundary > DateTimeOffset.UtcNow ? boundary - DateTimeOffset.UtcNow : TimeSpan.Zero);
            }

            var clock = Stopwatch.StartNew();
            long recorded = 0;
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"Period {period} granted", maxValue: customers.Count);
                while (DateTimeOffset.UtcNow < deadline && (recorded = await CountAsync(dataSource, customers, period)) < customers.Count)
                {
                    task.Value = recorded;
                    await Task.Delay(TimeSpan.FromMilliseconds(250));
                }

                task.Value = recorded;
            });

            results.Add(await LagAsync(dataSource, customers, period, boundary));
        }

        var table = new Table().AddColumn("boundary").AddColumn(new TableColumn("granted").RightAligned())
            .AddColumn(new TableColumn("twice").RightAligned()).AddColumn(new TableColumn("lag p50").RightAligned())
            .AddColumn(new TableColumn("lag p99").RightAligned()).AddColumn(new TableColumn("lag max").RightAligned());
        foreach (var result in results)
        {
            table.AddRow(
                $"period {result.Period} at {result.Boundary:HH:mm:ss}",
                result.Granted.ToString("N0", CultureInfo.InvariantCulture),
                result.Twice.ToString("N0", CultureInfo.InvariantCulture),
                Seconds(result.LagP50),
                Seconds(result.LagP99),
                Seconds(result.LagMax));
        }

        AnsiConsole.Write(table);
        var passed = results.All(r => r.Granted == customers.Count && r.Twice == 0 && r.LagMax is { } max && max <= Bound.TotalSeconds);
        AnsiConsole.MarkupLine(passed
            ? $"[green]Every customer's every period was granted once, within {Bound.TotalSeconds:0} s of its boundary.[/]"
            : $"[red]Not every period was granted once within {Bound.TotalSeconds:0} s of its boundary.[/]");

        Directory.CreateDirectory(options.Output);
        var summary = new
        {
            scenario = "schedule",
            customers = customers.Count,
            every = "PT1M",
            startsAt,
            boundSeconds = Bound.TotalSeconds,
            passed,
            boundaries = results.Select(r => new
            {
                period = r.Period,
                boundary = r.Boundary,
                granted = r.Granted,
                grantedTwice = r.Twice,
                lagP50Seconds = r.LagP50,
                lagP99Seconds = r.LagP99,
                lagMaxSeconds = r.LagMax,
            }),
        };
        await File.WriteAllTextAsync(Path.Combine(options.Output, "summary.json"), JsonSerializer.Serialize(summary, Indented));
        AnsiConsole.MarkupLine($"Summary in {options.Output}");
        return passed ? 0 : 1;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> customers, int period)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(DISTINCT customer_id) FROM ledger_entries WHERE customer_id = ANY($1) AND kind = 'granted' AND grant_id LIKE '%:p' || $2");
        command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = period.ToString(CultureInfo.InvariantCulture) });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<BoundaryResult> LagAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> customers, int period, DateTimeOffset boundary)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(DISTINCT customer_id), count(*) - count(DISTINCT customer_id),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM recorded_at - occurred_at)),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM recorded_at - occurred_at)),
                   max(extract(epoch FROM recorded_at - occurred_at))
            FROM ledger_entries WHERE customer_id = ANY($1) AND kind = 'granted' AND grant_id LIKE '%:p' || $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = period.ToString(CultureInfo.InvariantCulture) });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        double? Read(int column) => reader.IsDBNull(column) ? null : Convert.ToDouble(reader.GetValue(column), CultureInfo.InvariantCulture);
        return new BoundaryResult(period, boundary, reader.GetInt64(0), reader.GetInt64(1), Read(2), Read(3), Read(4));
    }

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("0.00 's'", CultureInfo.InvariantCulture) : "-";

    private sealed record BoundaryResult(int Period, DateTimeOffset Boundary, long Granted, long Twice, double? LagP50, double? LagP99, double? LagMax);
}
