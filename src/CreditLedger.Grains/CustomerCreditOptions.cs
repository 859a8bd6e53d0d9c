namespace CreditLedger.Grains;

/// <summary>Settings of the customer grains (section <c>CreditLedger:Customers</c>).</summary>
public sealed class CustomerCreditOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CreditLedger:Customers";

    /// <summary>
    /// A grain writes a snapshot of its state once this many entries have been appended since the last one
    /// (default 1,000), so that an activation replays at most about this many entries.
    /// </summary>
    public int SnapshotEveryEntries { get; set; } = 1_000;

    /// <summary>
    /// How often an expiry reminder fires again when its grain could not record the expiry (default 1 hour). It
    /// must not be shorter than Orleans' minimum reminder period (<c>Orleans:MinimumReminderPeriod</c>, 1 minute
    /// by default). Expiry correctness never depends on it: every command and read evaluates expiry itself.
    /// </summary>
    public TimeSpan ExpiryReminderRetryPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The most commands of one customer that share a group commit (default 256): commands queued behind a commit in
    /// flight are planned together and appended in the next one, up to this many.
    /// </summary>
    public int MaxGroupSize { get; set; } = 256;

    /// <summary>Checks the settings; throws with the setting's name when one is out of range.</summary>
    public void Validate()
    {
        if (SnapshotEveryEntries < 1)
        {
            throw new InvalidOperationException($"{SectionName}:SnapshotEveryEntries must be at least 1.");
        }

        if (MaxGroupSize < 1)
        {
            throw new InvalidOperationException($"{SectionName}:MaxGroupSize must be at least 1.");
        }

        if (ExpiryReminderRetryPeriod <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}:ExpiryReminderRetryPeriod must be positive.");
        }
    }
}
