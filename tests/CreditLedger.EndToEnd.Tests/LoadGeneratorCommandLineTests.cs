using System.Diagnostics;

namespace CreditLedger.Gateway.Tests;

/// <summary>The load generator's command line: <c>--help</c> lists every option with its default, and bad input is refused with a reason.</summary>
public sealed class LoadGeneratorCommandLineTests
{
    [Fact]
    public async Task Help_ListsEveryOptionWithItsDefault()
    {
        var (exitCode, output) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n');
        foreach (var (option, fallback) in new (string Option, string? Default)[]
        {
            ("--url <URL>", "http://127.0.0.1:5080"), ("--key <KEY>", null), ("--scenario <NAME>", "apply"), ("--rate <N>", "1000"),
            ("--duration <SECONDS>", "30"), ("--warmup <SECONDS>", "3"), ("--customers <N>", "1000"), ("--grants <N>", "1"),
            ("--connections <N>", "64"), ("--find-max", null), ("--p99-bound <MS>", "10"), ("--database <CONNSTR>", null),
            ("--webhooks", null), ("--max-error-rate <R>", "0.001"), ("--retry-for <SECONDS>", "0"), ("--timeout <SECONDS>", "30"),
            ("--out <DIR>", null),
        })
        {
            // An option's own line starts at the left margin (wrapped descriptions are indented past the default column).
            var line = Assert.Single(lines, l => l.TrimStart().StartsWith(option, StringComparison.Ordinal) && l.Length - l.TrimStart().Length < 20);
            if (fallback is not null)
            {
                Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(option)}\s+{System.Text.RegularExpressions.Regex.Escape(fallback)}\s", line);
            }
        }

        Assert.Contains("echo-server <PORT>", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--scenario must be apply, hot, mixed, expiry or schedule", "--key", "k", "--scenario", "soak")]
    [InlineData("give --database", "--key", "k", "--webhooks")]
    [InlineData("An API key is needed", "--rate", "10")]
    [InlineData("must be positive", "--key", "k", "--rate", "0")]
    public async Task BadOptions_RefusedWithTheReason(string reason, params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(arguments);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(reason, output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("CREDITLEDGER_KEY");
        start.Environment["COLUMNS"] = "200";
        start.ArgumentList.Add(GatewayProcess.BuiltAssemblyPath(Path.Combine("loadtests", "CreditLedger.LoadTests"), "CreditLedger.LoadTests.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
