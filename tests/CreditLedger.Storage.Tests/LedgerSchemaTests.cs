using CreditLedger.Testing;
using Npgsql;

namespace CreditLedger.Storage.Tests;

/// <summary>The ledger table's guarantees, enforced by PostgreSQL itself: entries are immutable and a
/// customer's sequence number is taken at most once.</summary>
public sealed class LedgerSchemaTests(LedgerDatabaseFixture database) : IClassFixture<LedgerDatabaseFixture>
{
    [Fact]
    public async Task LedgerEntries_Update_IsRejectedAndChangesNothing()
    {
        await InsertEntryAsync("immutable-update", 1, "50.00");

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync("UPDATE ledger_entries SET amount = 0 WHERE customer_id = 'immutable-update'"));

        Assert.Contains("immutable", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(50.00m, await database.ScalarAsync<decimal>("SELECT amount FROM ledger_entries WHERE customer_id = 'immutable-update'"));
    }

    [Fact]
    public async Task LedgerEntries_Delete_IsRejectedAndChangesNothing()
    {
        await InsertEntryAsync("immutable-delete", 1, "10.00");

        await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync("DELETE FROM ledger_entries WHERE customer_id = 'immutable-delete'"));

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'immutable-delete'"));
    }

    [Fact]
    public async Task LedgerEntries_Truncate_IsRejected()
    {
        await InsertEntryAsync("immutable-truncate", 1, "1.00");

        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("TRUNCATE ledger_entries"));

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'immutable-truncate'"));
    }

    [Fact]
    public async Task LedgerEntries_SameCustomerAndSeqTwice_SecondWriterFails()
    {
        await InsertEntryAsync("one-writer", 1, "5.00");

        var error = await Assert.ThrowsAsync<PostgresException>(() => InsertEntryAsync("one-writer", 1, "7.00"));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal(5.00m, await database.ScalarAsync<decimal>("SELECT amount FROM ledger_entries WHERE customer_id = 'one-writer'"));
    }

    [Fact]
    public async Task LedgerEntries_Amounts_AreExactDecimals()
    {
        await InsertEntryAsync("exact", 1, "0.000001");
        await InsertEntryAsync("exact", 2, "999999999999.999999");

        Assert.Equal(1_000_000_000_000.000000m, await database.ScalarAsync<decimal>("SELECT sum(amount) FROM ledger_entries WHERE customer_id = 'exact'"));
    }

    private Task InsertEntryAsync(string customerId, long seq, string amount) => ExecuteAsync(
        """
        INSERT INTO ledger_entries (customer_id, seq, kind, credit_type, amount, available_after, actor, source, occurred_at)
        VALUES ($1, $2, 'granted', 'USD', $3::numeric, $3::numeric, 'test', 'api', now())
        """,
        customerId,
        seq,
        amount);

    private Task ExecuteAsync(string sql, params object[] parameters) => database.DataSource.ExecuteAsync(sql, parameters);
}
