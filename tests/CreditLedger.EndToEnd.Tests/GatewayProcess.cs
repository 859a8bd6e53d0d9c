using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// The engine as a user runs it: <c>CreditLedger.Gateway.dll</c> in a process of its own, with a working
/// directory, environment and <c>--urls</c> of the test's choosing. Its output is kept so tests can wait for
/// and assert on what it printed.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private volatile bool _started;

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public string Output => string.Join(Environment.NewLine, _output);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the gateway; as <paramref name="user"/> through runuser when given (the test must be root); its HTTP
    /// port is <paramref name="port"/> when given (a replacement taking over an address), else a free one.
    /// </summary>
    public static GatewayProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, string? user = null, int? port = null)
    {
        port ??= FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var startInfo = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is null)
        {
            startInfo.FileName = dotnet;
        }
        else
        {
            startInfo.FileName = "runuser";
            foreach (var argument in new[] { "-u", user, "--", dotnet })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        startInfo.ArgumentList.Add(GatewayAssemblyPath());
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));

        // The host must not see the test runner's own settings.
        startInfo.Environment.Remove("ConnectionStrings__Ledger");
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        startInfo.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var gateway = new GatewayProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>Waits until the host prints its start-up banner, i.e. every hosted service has started.</summary>
    public async Task WaitUntilStartedAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cancellation.Token);
                if (line.Contains("listening on", StringComparison.Ordinal))
                {
                    // Nobody reads the lines after the banner: keep them only in the output.
                    _started = true;
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException(
                $"The gateway did not print its start-up banner within {timeout.TotalSeconds:0} s (exited: {_process.HasExited}). Output:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Asks the host to stop (SIGTERM, as systemd or Ctrl+C would) and waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", HostId().ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await WaitForExitAsync(timeout);
    }

    // The engine's own process. Started through runuser, it is runuser's child: a signal must go to it, not to runuser,
    // which answers TERM by killing its child outright when it has not exited within 2 s.
    private int HostId()
    {
        if (_process.StartInfo.FileName != "runuser")
        {
            return _process.Id;
        }

        var children = File.ReadAllText($"/proc/{_process.Id}/task/{_process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return children.Length == 1
            ? int.Parse(children[0], System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"runuser {_process.Id} has {children.Length} child processes, not the engine alone.");
    }

    /// <summary>Sends a signal (<c>STOP</c>, <c>CONT</c>, <c>TERM</c>, ...) to the host with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        var host = HostId();
        using var kill = Process.Start("kill", [$"-{signal}", host.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {host} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>Kills the host outright (SIGKILL): nothing of it gets to clean up.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        _process.Kill(entireProcessTree: false);
        await WaitForExitAsync(timeout);
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The gateway did not exit within {timeout.TotalSeconds:0} s. Output:{Environment.NewLine}{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // A paused (SIGSTOP) process is killed all the same: SIGKILL needs no cooperation.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            _lines.Writer.TryComplete();
            return;
        }

        _output.Enqueue(line);
        if (!_started)
        {
            _lines.Writer.TryWrite(line);
        }
    }

    private static string GatewayAssemblyPath() => BuiltAssemblyPath(Path.Combine("src", "CreditLedger.Gateway"), "CreditLedger.Gateway.dll");

    /// <summary>Where the build put a project's assembly, for the configuration and framework these tests were built with.</summary>
    public static string BuiltAssemblyPath(string projectFolder, string assembly)
    {
        // The test assembly lives in tests/X/bin/<Configuration>/<tfm>/; a project's in <projectFolder>/bin/<Configuration>/<tfm>/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CreditLedger.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No CreditLedger.sln above {AppContext.BaseDirectory}.");
        }

        var path = Path.Combine(root.FullName, projectFolder, "bin", configuration, tfm, assembly);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{assembly} is not built at {path}.");
    }

    /// <summary>A loopback port that nothing holds now, chosen below the system's ephemeral port range.</summary>
    public static int FreePort()
    {
        // A port the system hands out for port 0 lies in its ephemeral range, which outgoing connections draw from too:
        // between closing it here and the process binding it, any connection of the machine could take it. Ports below
        // that range (Linux: 32768-60999) are only ever taken by something binding them on purpose.
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_768);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) when (attempt < 100)
            {
                // Taken: another one.
            }
        }
    }
}
