namespace CreditLedger.Gateway.Api;

/// <summary>
/// Logs the 503 <c>unavailable</c> answers without flooding the log while storage or the cluster is down, when every
/// request (and every client retry) is answered 503: at most one warning per <c>interval</c>, one line naming the
/// cause (no stack trace) and how many other 503 answers there were since the previous warning. Each answer is also
/// logged at Debug level with its exception, for whoever turns that on.
/// </summary>
public sealed partial class UnavailableAnswerLog(ILogger logger, TimeProvider time, TimeSpan interval)
{
    private readonly long _intervalTicks = (long)(interval.TotalSeconds * time.TimestampFrequency);
    private long _nextWarningAt = long.MinValue;
    private long _unlogged;

    /// <summary>Records that <paramref name="path"/> was answered 503 because of <paramref name="exception"/>.</summary>
    public void Record(string path, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        LogAnswered(logger, exception, path);
        var now = time.GetTimestamp();
        var due = Interlocked.Read(ref _nextWarningAt);
        if (now < due || Interlocked.CompareExchange(ref _nextWarningAt, now + _intervalTicks, due) != due)
        {
            Interlocked.Increment(ref _unlogged);
            return;
        }

        LogUnavailable(logger, path, Cause(exception), Interlocked.Exchange(ref _unlogged, 0));
    }

    // The outermost infrastructure failure in the chain, as "Type: message" (the engine's own exceptions quote their cause).
    private static string Cause(Exception exception)
    {
        var cause = exception;
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (ApiEndpoints.IsInfrastructureFailure(e))
            {
                cause = e;
                break;
            }
        }

        return $"{cause.GetType().Name}: {cause.Message}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 503 to {Path}: storage or the cluster is unavailable ({Cause}); {Others} other 503 answers since the previous warning")]
    private static partial void LogUnavailable(ILogger logger, string path, string cause, long others);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered 503 to {Path}")]
    private static partial void LogAnswered(ILogger logger, Exception exception, string path);
}
