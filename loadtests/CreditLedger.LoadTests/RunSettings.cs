using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CreditLedger.LoadTests;

/// <summary>
/// The command line of a run (<c>--help</c> lists every option with its default): seeds customers with grants, drives
/// a scenario open loop (requests leave on a fixed schedule whatever the answers do; latency counts from the
/// scheduled instant), then checks the ledger.
/// </summary>
internal sealed class RunSettings : CommandSettings
{
    [CommandOption("--url <URL>")]
    [Description("The gateway.")]
    [DefaultValue("http://127.0.0.1:5080")]
    public string Url { get; set; } = "http://127.0.0.1:5080";

    [CommandOption("--key <KEY>")]
    [Description("API key with credits:write, invoices:write and read (or admin); $CREDITLEDGER_KEY when not given.")]
    public string? Key { get; set; }

    [CommandOption("--scenario <NAME>")]
    [Description("apply (many customers) | hot (one customer; each invoice paid right after, unmeasured) | mixed (80% apply, 15% balance reads, 5% grant/void) | expiry (every customer gets 1.00 USD expiring --duration after the start; measures how long until every expiry and its event is recorded; needs --database) | schedule (every customer gets a one-minute credit schedule of two periods starting --duration after the start; measures how long after each boundary every customer's period is recorded, and fails beyond 60 s; needs --database).")]
    [DefaultValue("apply")]
    public string Scenario { get; set; } = "apply";

    [CommandOption("--rate <N>")]
    [Description("Offered requests per second.")]
    [DefaultValue(1000.0)]
    public double Rate { get; set; } = 1000;

    [CommandOption("--duration <SECONDS>")]
    [Description("Measured run length.")]
    [DefaultValue(30.0)]
    public double Duration { get; set; } = 30;

    [CommandOption("--warmup <SECONDS>")]
    [Description("Unmeasured run before it.")]
    [DefaultValue(3.0)]
    public double Warmup { get; set; } = 3;

    [CommandOption("--customers <N>")]
    [Description("Customers to seed.")]
    [DefaultValue(1000)]
    public int Customers { get; set; } = 1000;

    [CommandOption("--grants <N>")]
    [Description("Grants each seeded customer gets (the first USD 1,000,000.00, each further one 1.00 USD).")]
    [DefaultValue(1)]
    public int Grants { get; set; } = 1;

    [CommandOption("--connections <N>")]
    [Description("HTTP connections.")]
    [DefaultValue(64)]
    public int Connections { get; set; } = 64;

    [CommandOption("--find-max")]
    [Description("Step the rate up by 25% per run until p99 exceeds --p99-bound (off unless given).")]
    [DefaultValue(false)]
    public bool FindMax { get; set; }

    [CommandOption("--p99-bound <MS>")]
    [Description("The p99 bound of --find-max.")]
    [DefaultValue(10.0)]
    public double P99Bound { get; set; } = 10;

    [CommandOption("--database <CONNSTR>")]
    [Description("PostgreSQL of the engine, for the ledger check after the run (skipped without it).")]
    public string? Database { get; set; }

    [CommandOption("--webhooks")]
    [Description("(Off unless given.) Register a fast receiver on loopback and a dead endpoint (connection refused), both for every event, before seeding; after the run check that every event arrived once, its delivery lag, the dead endpoint's rows and a new endpoint's first event (needs --database, an admin key and CreditLedger:Webhooks:AllowPrivateTargets on the engine).")]
    [DefaultValue(false)]
    public bool Webhooks { get; set; }

    [CommandOption("--max-error-rate <R>")]
    [Description("Fail when more than this share of requests fail.")]
    [DefaultValue(0.001)]
    public double MaxErrorRate { get; set; } = 0.001;

    [CommandOption("--retry-for <SECONDS>")]
    [Description("Retry a failed request (5xx, 408, 429, connection error, timeout) with the same invoice id or Idempotency-Key, backing off, for up to this long after its first attempt (0: no retries); a request fails only when its last attempt did.")]
    [DefaultValue(0.0)]
    public double RetryFor { get; set; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("Per attempt.")]
    [DefaultValue(30.0)]
    public double Timeout { get; set; } = 30;

    [CommandOption("--out <DIR>")]
    [Description("Where summary.json and latency.svg go (default loadtests/results/<UTC time>, which git ignores).")]
    public string? Out { get; set; }

    public override ValidationResult Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out _))
        {
            return ValidationResult.Error($"--url '{Url}' is not an absolute URL.");
        }

        if (Scenario is not ("apply" or "hot" or "mixed" or "expiry" or "schedule"))
        {
            return ValidationResult.Error("--scenario must be apply, hot, mixed, expiry or schedule.");
        }

        if ((Scenario is "expiry" or "schedule" || Webhooks) && Database is null)
        {
            return ValidationResult.Error("--scenario expiry, --scenario schedule and --webhooks read the ledger: give --database.");
        }

        if (Rate <= 0 || Customers < 1 || Grants < 1 || Connections < 1 || Duration <= 0 || Timeout <= 0 || RetryFor < 0 || Warmup < 0)
        {
            return ValidationResult.Error("--rate, --customers, --grants, --connections, --duration and --timeout must be positive; --retry-for and --warmup not negative.");
        }

        return string.IsNullOrWhiteSpace(EffectiveKey)
            ? ValidationResult.Error("An API key is needed: --key or CREDITLEDGER_KEY.")
            : ValidationResult.Success();
    }

    private string? EffectiveKey => Key ?? Environment.GetEnvironmentVariable("CREDITLEDGER_KEY");

    /// <summary>The run's options (the output folder is <see cref="LoadOptions"/>' default unless --out is given).</summary>
    public LoadOptions ToOptions()
    {
        var options = new LoadOptions
        {
            Url = new Uri(Url),
            Key = EffectiveKey,
            Scenario = Scenario,
            Rate = Rate,
            Duration = TimeSpan.FromSeconds(Duration),
            Warmup = TimeSpan.FromSeconds(Warmup),
            Customers = Customers,
            GrantsPerCustomer = Grants,
            Connections = Connections,
            FindMax = FindMax,
            P99BoundMs = P99Bound,
            Database = Database,
            Webhooks = Webhooks,
            MaxErrorRate = MaxErrorRate,
            RetryFor = TimeSpan.FromSeconds(RetryFor),
            RequestTimeout = TimeSpan.FromSeconds(Timeout),
        };
        return Out is null ? options : options with { Output = Out };
    }
}
