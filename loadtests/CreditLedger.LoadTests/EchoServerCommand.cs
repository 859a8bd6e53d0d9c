using System.ComponentModel;
using Spectre.Console.Cli;

namespace CreditLedger.LoadTests;

/// <summary><c>echo-server PORT</c>: the Kestrel reference point of docs/benchmarks.md (<see cref="EchoServer"/>).</summary>
internal sealed class EchoServerCommand : AsyncCommand<EchoServerCommand.Settings>
{
    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        EchoServer.RunAsync(settings.Port);

    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<PORT>")]
        [Description("The loopback port to listen on.")]
        public int Port { get; set; }
    }
}
