using CreditLedger.LoadTests;
using Spectre.Console.Cli;

var app = new CommandApp<RunCommand>();
app.Configure(configuration =>
{
    configuration.SetApplicationName("CreditLedger.LoadTests");
    configuration.AddCommand<EchoServerCommand>("echo-server")
        .WithDescription("Instead of a run: serve a JSON echo on 127.0.0.1:PORT (the Kestrel reference point for wrk).")
        .WithExample("echo-server", "5391");
});
return await app.RunAsync(args);
