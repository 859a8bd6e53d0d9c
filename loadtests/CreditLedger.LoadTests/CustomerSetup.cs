using Spectre.Console;

namespace CreditLedger.LoadTests;

/// <summary>Setting up every customer of a run before it starts, as many at once as the run has connections.</summary>
internal static class CustomerSetup
{
    /// <summary>Runs <paramref name="step"/> for each of <paramref name="customers"/>, with a progress bar titled <paramref name="description"/>.</summary>
    public static Task ForEachAsync(LoadOptions options, IReadOnlyList<string> customers, string description, Func<string, CancellationToken, Task> step) =>
        AnsiConsole.Progress().StartAsync(async progress =>
        {
            var done = progress.AddTask(description, maxValue: customers.Count);
            await Parallel.ForEachAsync(customers, new ParallelOptions { MaxDegreeOfParallelism = options.Connections }, async (customer, cancellationToken) =>
            {
                await step(customer, cancellationToken);
                done.Increment(1);
            });
        });
}
