using CreditLedger.Contracts.Customers;
using CreditLedger.Gateway.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>
/// 503 answers during an outage are logged as one warning per interval naming the cause and counting the others,
/// so that a client retrying through an outage cannot flood the log.
/// </summary>
public sealed class UnavailableAnswerLogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public void Record_ManyAnswersInOneInterval_OneWarningNamingTheCause_ThenTheCountOfTheOthers()
    {
        using var logs = new CapturedLogs();
        var time = new FakeTimeProvider();
        var log = new UnavailableAnswerLog(logs.CreateLogger("answers"), time, Interval);
        var failure = new LedgerUnavailableException("The ledger write failed or its outcome is unknown", new NpgsqlException("Failed to connect to 127.0.0.1:5432"));

        for (var i = 0; i < 1000; i++)
        {
            log.Record("/v1/customers/c1/invoices/i1/apply-credits", failure);
            time.Advance(TimeSpan.FromMilliseconds(4));
        }

        time.Advance(Interval);
        log.Record("/v1/customers/c2/invoices/i2/apply-credits", new TimeoutException("Response did not arrive on time"));

        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.Collection(
            warnings,
            first =>
            {
                Assert.Contains("/v1/customers/c1/invoices/i1/apply-credits", first.Message, StringComparison.Ordinal);
                Assert.Contains("LedgerUnavailableException", first.Message, StringComparison.Ordinal);
                Assert.Contains("0 other 503 answers", first.Message, StringComparison.Ordinal);
                Assert.Null(first.Exception);
            },
            // 4 s of answers every 4 ms fall in the first interval: the next warning, after it, counts them.
            second =>
            {
                Assert.Contains("TimeoutException: Response did not arrive on time", second.Message, StringComparison.Ordinal);
                Assert.Contains("999 other 503 answers", second.Message, StringComparison.Ordinal);
            });
        Assert.Equal(1001, logs.Entries.Count(e => e.Level == LogLevel.Debug && e.Exception is not null));
    }
}
