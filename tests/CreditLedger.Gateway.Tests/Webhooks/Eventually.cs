namespace CreditLedger.Gateway.Tests.Webhooks;

/// <summary>Waits for a condition that something else (a dispatcher, a clock) makes true, with a deadline that names it.</summary>
internal static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(25);
        }
    }
}
