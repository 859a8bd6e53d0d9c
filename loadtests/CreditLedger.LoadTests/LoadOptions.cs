using System.Globalization;

namespace CreditLedger.LoadTests;

/// <summary>The command line of the load generator.</summary>
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

    public const string Usage = """
        CreditLedger load generator: seeds customers with grants, drives a scenario open loop (requests leave on a fixed
        schedule whatever the answers do; latency counts from the scheduled instant), then checks the ledger.

          --url URL              gateway (default http://127.0.0.1:5080)
          --key KEY              API key with credits:write, invoices:write and read (or admin); default $CREDITLEDGER_KEY
          --scenario NAME        apply (many customers) | hot (one customer; each invoice is paid right after, unmeasured)
                         | mixed (80% apply, 15% balance reads, 5% grant/void)
                         | expiry (every customer gets 1.00 USD expiring at the same instant, --duration after
                           the start; measures how long after it every expiry and its event is recorded; needs
                           --database)
          --rate N               offered requests per second (default 1000)
          --duration SECONDS     measured run length (default 30)
          --warmup SECONDS       unmeasured run before it (default 3)
          --customers N          customers to seed (default 1000)
          --grants N             grants each seeded customer gets (default 1: USD 1,000,000.00; more add 1.00 USD each)
          --connections N        HTTP connections (default 64)
          --find-max             step the rate up by 25% per run until p99 exceeds --p99-bound
          --p99-bound MS         the p99 bound of --find-max (default 10)
          --database CONNSTR     PostgreSQL of the engine, for the ledger check after the run (skipped without it)
          --webhooks             register a fast receiver on loopback and a dead endpoint (connection refused), both for
                         every event, before seeding; after the run check that every event of the run arrived once,
                         its delivery lag, the dead endpoint's rows, and a new endpoint's first event (needs
                         --database, an admin key, and CreditLedger:Webhooks:AllowPrivateTargets on the engine)
          --max-error-rate R     fail when more than this share of requests fail (default 0.001)
          --retry-for SECONDS    retry a failed request (5xx, 408, 429, connection error, timeout) with the same invoice
                         id / Idempotency-Key, backing off, for up to this long after its first attempt
                         (default 0: no retries); a request counts as failed only when its last attempt failed
          --timeout SECONDS      per attempt (default 30)
          --out DIR              where summary.json and latency.svg go (default loadtests/results/<time>)

        echo-server PORT         instead: serve a JSON echo on 127.0.0.1:PORT (the Kestrel reference point for wrk)
        """;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions { Key = Environment.GetEnvironmentVariable("CREDITLEDGER_KEY") };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--url" => options with { Url = new Uri(Next()) },
                "--key" => options with { Key = Next() },
                "--scenario" => options with { Scenario = Next() },
                "--rate" => options with { Rate = Number() },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Number()) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Number()) },
                "--customers" => options with { Customers = (int)Number() },
                "--grants" => options with { GrantsPerCustomer = (int)Number() },
                "--connections" => options with { Connections = (int)Number() },
                "--find-max" => options with { FindMax = true },
                "--p99-bound" => options with { P99BoundMs = Number() },
                "--database" => options with { Database = Next() },
                "--webhooks" => options with { Webhooks = true },
                "--max-error-rate" => options with { MaxErrorRate = Number() },
                "--out" => options with { Output = Next() },
                "--retry-for" => options with { RetryFor = TimeSpan.FromSeconds(Number()) },
                "--timeout" => options with { RequestTimeout = TimeSpan.FromSeconds(Number()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        if ((options.Scenario == "expiry" || options.Webhooks) && options.Database is null)
        {
            throw new ArgumentException("--scenario expiry and --webhooks read the ledger: give --database.");
        }

        if (options.Scenario is not ("apply" or "hot" or "mixed" or "expiry") || options.Rate <= 0 || options.Customers < 1 || options.GrantsPerCustomer < 1
            || options.Connections < 1 || options.Duration <= TimeSpan.Zero || options.RetryFor < TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                "--scenario must be apply, hot, mixed or expiry; --rate, --customers, --grants, --connections, --duration and --timeout must be positive; --retry-for not negative.");
        }

        if (string.IsNullOrWhiteSpace(options.Key))
        {
            throw new ArgumentException("An API key is needed: --key or CREDITLEDGER_KEY.");
        }

        return options;
    }
}
