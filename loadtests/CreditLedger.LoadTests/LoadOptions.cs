using System.Globalization;

namespace CreditLedger.LoadTests;

/// <summary>What a run does (from <see cref="RunSettings"/>, or set by the fault tests).</summary>
internal sealed record LoadOptions
{
    public Uri Url { get; init; } = new("http://127.0.0.1:5080");

    public string? Key { get; init; }

    public string Scenario { get; init; } = "apply";

    public double Rate { get; init; } = 1000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public int Customers { get; init; } = 1000;

    public int GrantsPerCustomer { get; init; } = 1;

    public int Connections { get; init; } = 64;

    public bool FindMax { get; init; }

    public double P99BoundMs { get; init; } = 10;

    public string? Database { get; init; }

    public string Output { get; init; } = Path.Combine("loadtests", "results", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

    public double MaxErrorRate { get; init; } = 0.001;

    /// <summary>Register a live receiver and a dead endpoint for every event, and check delivery after the run.</summary>
    public bool Webhooks { get; init; }

    /// <summary>How long a failed request (5xx, 408, 429, connection error, timeout) is retried with the same invoice id
    /// or idempotency key, counting from its first attempt; zero (the default) sends every request once.</summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.Zero;

    /// <summary>How long one attempt may take before it counts as a timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
