using System.Globalization;

namespace CreditLedger.Webhooks;

/// <summary>Settings of webhook delivery (section <c>CreditLedger:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CreditLedger:Webhooks";

    /// <summary>How long the secret replaced by a rotation keeps signing beside the new one.</summary>
    public static readonly TimeSpan PreviousSecretLifetime = TimeSpan.FromHours(24);

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

    /// <summary>Failed attempts in a row after which an endpoint is failing and takes no first attempts (default 5).</summary>
    public int FailingAfterAttempts { get; set; } = 5;

    /// <summary>How often an endpoint's delivery worker that has caught up looks for new events (default 100 ms).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a worker saves its endpoint's checkpoint and progress while it delivers (default 500 ms).</summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often every silo makes sure each endpoint that is not disabled has a running worker (default 5 s).</summary>
    public TimeSpan KeeperInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the record of a retried delivery (its body and every attempt, listed by the deliveries route) is kept
    /// after its first attempt once it has succeeded or failed for good (default 30 days); pending ones are kept until
    /// they finish.
    /// </summary>
    public TimeSpan AttemptRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often every silo deletes the delivery records past <see cref="AttemptRetention"/> (default 1 hour).</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Ledger entries a worker reads at once (default 500).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Deliveries in flight at once per endpoint (default 64). An endpoint starts with one and doubles after each
    /// success up to this; a failure brings it back to one, so a dead endpoint is tried one event at a time.
    /// </summary>
    public int MaxInFlight { get; set; } = 64;

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
        if (Timeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero || SaveInterval <= TimeSpan.Zero || KeeperInterval <= TimeSpan.Zero
            || BatchSize < 1 || MaxInFlight < 1 || FailingAfterAttempts < 1 || AttemptRetention <= TimeSpan.Zero || PurgeInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"{SectionName}: Timeout, PollInterval, SaveInterval, KeeperInterval, BatchSize, MaxInFlight, FailingAfterAttempts, AttemptRetention and PurgeInterval must be positive.");
        }
    }
}
