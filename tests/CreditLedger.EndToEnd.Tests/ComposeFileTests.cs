using System.Diagnostics;
using System.Net;
using CreditLedger.Hosting;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// docker-compose.yml is valid (checked offline with Compose's own <c>config</c>, as no Docker engine runs here) and
/// describes PostgreSQL, scalable silos advertising their container address, and a gateway; silos resolve the
/// <c>hostname</c> advertised address.
/// </summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task ComposeFile_ValidatesAndDescribesPostgresSilosAndGateway()
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("docker-compose") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", Path.Combine(root, "docker-compose.yml"), "config" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("This test needs Compose v1 (apt-get install docker-compose) to validate docker-compose.yml.");
        }

        using (process)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == 0, errors);
            Assert.Contains("postgres:", output, StringComparison.Ordinal);
            Assert.Contains("silo:", output, StringComparison.Ordinal);
            Assert.Contains("gateway:", output, StringComparison.Ordinal);
            Assert.Contains("Orleans__AdvertisedAddress: hostname", output, StringComparison.Ordinal);
            Assert.Contains("CreditLedger__Role: silo", output, StringComparison.Ordinal);
            Assert.Contains("CreditLedger__Role: gateway", output, StringComparison.Ordinal);
            Assert.Contains("replicas: 2", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AdvertisedAddress_Hostname_ResolvesThisMachinesName()
    {
        var settings = new OrleansSettings { AdvertisedAddress = OrleansSettings.HostNameKeyword };

        var address = settings.ResolveAdvertisedAddress();

        Assert.Contains(address, Dns.GetHostAddresses(Dns.GetHostName()));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CreditLedger.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("No CreditLedger.sln above the test output.");
    }
}
