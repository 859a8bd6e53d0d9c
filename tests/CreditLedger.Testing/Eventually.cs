namespace CreditLedger.Testing;

/// <summary>
/// Waits for a condition that something else makes true (a dispatcher, a reminder, a restart, a clock), polling it,
/// with a deadline that names what was awaited.
/// </summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
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
