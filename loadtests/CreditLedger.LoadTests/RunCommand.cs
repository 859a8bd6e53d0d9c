using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CreditLedger.LoadTests;

/// <summary>The load generator's run: seeds customers with grants, drives the scenario open loop, checks the ledger.</summary>
internal sealed class RunCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        var runId = "lt" + DateTime.UtcNow.ToString("HHmmssfff", CultureInfo.InvariantCulture);
        using var engine = new EngineClient(options);
        var customers = Enumerable.Range(0, options.Scenario == "hot" ? 1 : options.Customers).Select(i => $"{runId}-c{i}").ToList();

        // Registered before seeding, so that every event of the run's customers is expected at the receiver.
        await using var webhooks = options.Webhooks ? await WebhookCheck.StartAsync(engine, CancellationToken.None) : null;

        await CustomerSetup.ForEachAsync(
            options, customers, $"Seeding {customers.Count} customers", (customer, token) => engine.SeedCustomerAsync(customer, options.GrantsPerCustomer, token));

        if (options.Scenario == "expiry")
        {
            return await ExpiryRun.RunAsync(options, engine, customers);
        }

        if (options.Scenario == "schedule")
        {
            return await ScheduleRun.RunAsync(options, engine, customers);
        }

        var rate = options.Rate;
        var exitCode = 0;
        while (true)
        {
            var run = new OpenLoopRun(options, engine, customers, runId + "-" + rate.ToString("0", CultureInfo.InvariantCulture));
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var warmup = progress.AddTask($"Warm-up at {rate:0}/s", maxValue: 1);
                await run.RunAsync(rate, options.Warmup, measure: false, p => warmup.Value = p, CancellationToken.None);
                // The measured run starts from a compacted heap, so that a full collection the warm-up made due does not
                // stop the generator in the window it measures (its pauses there are reported, not hidden).
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                var measured = progress.AddTask($"{options.Scenario} at {rate:0}/s for {options.Duration.TotalSeconds:0} s", maxValue: 1);
                await run.RunAsync(rate, options.Duration, measure: true, p => measured.Value = p, CancellationToken.None);
            });

            IReadOnlyList<string> failures = [];
            bool? passed = null;
            if (options.Database is { } database)
            {
                failures = await LedgerCheck.RunAsync(database, customers, run.AppliedOk.ToList());
                passed = failures.Count == 0;
            }

            WebhookSummary? delivered = null;
            if (webhooks is not null)
            {
                delivered = await webhooks.MeasureAsync(options.Database!, customers, TimeSpan.FromSeconds(15), CancellationToken.None);
                if (delivered.Missing > 0 || delivered.Duplicates > 0)
                {
                    exitCode = 1;
                }
            }

            var summary = RunSummary.From(options, rate, run, passed, failures, delivered);
            var folder = options.FindMax ? Path.Combine(options.Output, rate.ToString("0", CultureInfo.InvariantCulture)) : options.Output;
            await summary.WriteAsync(folder, run);
            Show(summary, folder);

            var errorRate = summary.Requests == 0 ? 1 : (double)summary.Errors / summary.Requests;
            if (passed == false || errorRate > options.MaxErrorRate)
            {
                exitCode = 1;
            }

            if (!options.FindMax || summary.P99Ms > options.P99BoundMs || exitCode != 0)
            {
                if (options.FindMax)
                {
                    AnsiConsole.MarkupLine($"[bold]Highest rate meeting p99 <= {options.P99BoundMs} ms:[/] {(rate / 1.25):0}/s (p99 broke at {rate:0}/s)");
                }

                break;
            }

            rate *= 1.25;
        }

        return exitCode;
    }

    private static void Show(RunSummary summary, string folder)
    {
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("scenario", summary.Scenario);
        table.AddRow("offered / achieved rate", $"{summary.OfferedRate:0}/s / {summary.AchievedRate:0}/s");
        table.AddRow("requests / errors / retries", $"{summary.Requests} / {summary.Errors} / {summary.Retries}");
        table.AddRow("p50 / p90 / p99 / p99.9 / max", $"{summary.P50Ms:0.00} / {summary.P90Ms:0.00} / {summary.P99Ms:0.00} / {summary.P999Ms:0.00} / {summary.MaxMs:0.00} ms");
        table.AddRow("report lag max / p99", summary.ReportLagMaxSeconds is null ? "n/a" : $"{summary.ReportLagMaxSeconds:0.00} s / {summary.ReportLagP99Seconds:0.00} s");
        table.AddRow("generator GC pauses / full collections", $"{summary.GeneratorGcPauseMs:0.0} ms / {summary.GeneratorGen2Collections}");
        table.AddRow("ledger check", summary.LedgerCheckPassed switch { true => "[green]passed[/]", false => "[red]FAILED[/]", null => "skipped (no --database)" });
        if (summary.Webhooks is { } w)
        {
            table.AddRow("webhook events / missing / duplicates", $"{w.Events} / {w.Missing} / {w.Duplicates}");
            table.AddRow("webhook lag p50 / p99 / max", $"{w.LagP50Ms:0} / {w.LagP99Ms:0} / {w.LagMaxMs:0} ms");
            table.AddRow("all delivered after the load", $"{w.CompleteAfterSeconds:0.0} s");
            table.AddRow("dead endpoint's delivery rows", w.DeadEndpointRows.ToString(CultureInfo.InvariantCulture));
            table.AddRow("new endpoint's first event", w.NewEndpointFirstEventMs is { } ms ? $"{ms:0} ms" : "[red]none within 30 s[/]");
        }

        foreach (var (status, count) in summary.ErrorsByStatus)
        {
            table.AddRow($"errors: {Markup.Escape(status)}", count.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var failure in summary.LedgerCheckFailures)
        {
            table.AddRow("[red]violation[/]", Markup.Escape(failure));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Summary and chart in [bold]{Markup.Escape(folder)}[/]");
    }
}
