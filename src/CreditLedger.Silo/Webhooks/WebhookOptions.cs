using System.Globalization;

namespace CreditLedger.Silo.Webhooks;

/// <summary>Settings of webhook delivery (section <c>CreditLedger:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CreditLedger:Webhooks";

    /// <summary>The default retry schedule: about three days.</summary>
    public const string DefaultRetrySchedule = "5s,30s,2m,5m,30m,2h,5h,10h,14h,20h,24h";

    /// <summary>
    /// Whether endpoints may target loopback, private, link-local or unique-local addresses (default false, which
    /// keeps webhooks from reaching into the engine's own network). Tests and local development turn it on.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>
    /// The waits before each retry after a failed attempt, comma-separated durations with a unit (<c>ms</c>,
    /// <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>), default <see cref="DefaultRetrySchedule"/>. After the last one the
    /// delivery fails for good; an endpoint that has failed for the whole schedule is disabled.
    /// </summary>
    public string RetrySchedule { get; set; } = DefaultRetrySchedule;

    /// <summary>How long an endpoint has to answer with a 2xx (default 15 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a dispatcher with nothing to do looks for new events (default 500 ms).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a claimed delivery stays with its dispatcher before another may retry it (default 1 minute).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries claimed at once (default 100).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Deliveries in flight at once per dispatcher (default 16).</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>The parsed retry schedule.</summary>
    /// <exception cref="FormatException">An entry is not a duration with a unit.</exception>
    public IReadOnlyList<TimeSpan> ParseRetrySchedule()
    {
        var waits = new List<TimeSpan>();
        foreach (var part in RetrySchedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var unit = part.EndsWith("ms", StringComparison.Ordinal) ? "ms" : part[^1..];
            if (!double.TryParse(part[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"{SectionName}:RetrySchedule entry '{part}' is not a duration such as 5s, 2m or 1h.");
            }

            waits.Add(unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                "d" => TimeSpan.FromDays(value),
                _ => throw new FormatException($"{SectionName}:RetrySchedule entry '{part}' has no unit (ms, s, m, h or d)."),
            });
        }

        return waits;
    }

    /// <summary>Checks the settings; throws naming the one that is wrong.</summary>
    public void Validate()
    {
        _ = ParseRetrySchedule();
        if (Timeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero || Lease <= Timeout || BatchSize < 1 || MaxConcurrency < 1)
        {
            throw new InvalidOperationException($"{SectionName}: Timeout, PollInterval, BatchSize and MaxConcurrency must be positive, and Lease longer than Timeout.");
        }
    }
}
