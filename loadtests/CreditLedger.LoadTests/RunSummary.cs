using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditLedger.LoadTests;

/// <summary>What a run measured, written as summary.json.</summary>
internal sealed record RunSummary(
    string Scenario,
    double OfferedRate,
    double AchievedRate,
    double DurationSeconds,
    long Requests,
    long Errors,
    long Retries,
    IReadOnlyDictionary<string, long> ErrorsByStatus,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    double? ReportLagMaxSeconds,
    double? ReportLagP99Seconds,
    double GeneratorGcPauseMs,
    int GeneratorGen2Collections,
    bool? LedgerCheckPassed,
    IReadOnlyList<string> LedgerCheckFailures,
    WebhookSummary? Webhooks)
{
    public static RunSummary From(LoadOptions options, double rate, OpenLoopRun run, bool? checkPassed, IReadOnlyList<string> failures, WebhookSummary? webhooks)
    {
        var latencies = run.Latencies;
        var lags = run.ReportLags.Order().ToList();
        return new RunSummary(
            options.Scenario,
            rate,
            latencies.Completed / run.Elapsed.TotalSeconds,
            Math.Round(run.Elapsed.TotalSeconds, 2),
            latencies.Completed,
            latencies.Errors.Values.Sum(),
            run.Retries,
            latencies.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
            latencies.Percentile(50),
            latencies.Percentile(90),
            latencies.Percentile(99),
            latencies.Percentile(99.9),
            latencies.MaxMs(),
            lags.Count == 0 ? null : lags[^1],
            lags.Count == 0 ? null : lags[(int)Math.Min(lags.Count - 1, Math.Ceiling(lags.Count * 0.99) - 1)],
            Math.Round(run.GeneratorPause.TotalMilliseconds, 1),
            run.GeneratorGen2Collections,
            checkPassed,
            failures,
            webhooks);
    }

    public async Task WriteAsync(string folder, OpenLoopRun run)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(this, SummaryJson.Default.RunSummary));
        await File.WriteAllTextAsync(Path.Combine(folder, "latency.svg"), Chart(run.Latencies.Series()));
        await File.WriteAllLinesAsync(Path.Combine(folder, "attempts.csv"), AttemptLines(run));
    }

    // Every attempt of the warm-up and the measured run, in the order they began, in milliseconds from the measured
    // run's start (negative in the warm-up): a stall shorter than a second shows here as the attempts it held up.
    private static IEnumerable<string> AttemptLines(OpenLoopRun run)
    {
        yield return "started_ms,ended_ms,error";
        var origin = run.MeasuredFromTimestamp;
        foreach (var attempt in run.Attempts.OrderBy(a => a.StartedTimestamp))
        {
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $"{Stopwatch.GetElapsedTime(origin, attempt.StartedTimestamp).TotalMilliseconds:0.###},{Stopwatch.GetElapsedTime(origin, attempt.EndedTimestamp).TotalMilliseconds:0.###},{attempt.Error}");
        }
    }

    // A plain SVG line chart of p50 and p99 latency per second of the run.
    private static string Chart(IReadOnlyList<(long Second, double P50Ms, double P99Ms, long Count)> series)
    {
        const int Width = 800, Height = 300, Margin = 40;
        var maxMs = Math.Max(1, series.Count == 0 ? 1 : series.Max(s => s.P99Ms));
        var lastSecond = Math.Max(1, series.Count == 0 ? 1 : series[^1].Second);
        string Points(Func<(long Second, double P50Ms, double P99Ms, long Count), double> value) => string.Join(' ', series.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{Margin + ((Width - (2 * Margin)) * s.Second / (double)lastSecond):0.#},{Height - Margin - ((Height - (2 * Margin)) * value(s) / maxMs):0.#}")));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" font-family="sans-serif" font-size="12">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{Height}" fill="white"/><text x="{Margin}" y="20">Latency per second (ms): p50 blue, p99 red; max {maxMs:0.##} ms</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Margin}" y1="{Height - Margin}" x2="{Width - Margin}" y2="{Height - Margin}" stroke="black"/><line x1="{Margin}" y1="{Margin}" x2="{Margin}" y2="{Height - Margin}" stroke="black"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="#1f77b4" points="{Points(s => s.P50Ms)}"/><polyline fill="none" stroke="#d62728" points="{Points(s => s.P99Ms)}"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width - Margin}" y="{Height - 10}" text-anchor="end">{lastSecond} s</text></svg>""");
        return svg.ToString();
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class SummaryJson : JsonSerializerContext;
