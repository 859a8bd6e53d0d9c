using CreditLedger.Contracts.Customers;

namespace CreditLedger.Grains.Tests;

/// <summary>
/// One customer receiving many commands at once: the commands that queue up behind a commit share the next one,
/// each is answered as if it had run alone, and a group the ledger refuses is sorted out command by command.
/// </summary>
public sealed class HotCustomerTests(GrainFixture fixture) : IClassFixture<GrainFixture>
{
    private CustomerSilo Silo => fixture.Silo;

    [Fact]
    public async Task ConcurrentAppliesAndPays_ShareCommits_EachAnsweredWithItsOwnEntry()
    {
        var customerId = fixture.NewCustomerId("hot");
        var grain = await Silo.CreatedAsync(customerId);
        await grain.GrantedAsync(Commands.Usd(10_000m));

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            var applied = await grain.ApplyAsync($"inv_{i}", Commands.Total(1m), Commands.Api);
            var paid = await grain.PayInvoiceAsync($"inv_{i}", Commands.Api);
            return (Applied: applied, Paid: paid);
        }));

        Assert.All(answers, a => Assert.Equal((CommandStatus.Ok, CommandStatus.Ok, "paid"), (a.Applied.Status, a.Paid.Status, a.Paid.Invoice!.Status)));
        var entries = await fixture.StringsAsync(
            "SELECT seq || ' ' || kind || ' ' || coalesce(invoice_id, '') FROM ledger_entries WHERE customer_id = $1 ORDER BY seq", customerId);
        Assert.Equal(601, entries.Count);
        Assert.Equal(Enumerable.Range(1, 601).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), entries.Select(e => e.Split(' ')[0]));

        // Every answer names the entry that records it.
        Assert.All(answers, a => Assert.Contains($"{a.Applied.Version} applied {a.Applied.Invoice!.InvoiceId}", entries));
        Assert.All(answers, a => Assert.Contains($"{a.Paid.Version} paid {a.Paid.Invoice!.InvoiceId}", entries));

        // Commands that queued behind a commit went into shared transactions (one per command otherwise).
        var transactions = await fixture.ScalarAsync<long>("SELECT count(DISTINCT tx_id) FROM ledger_entries WHERE customer_id = $1", customerId);
        Assert.True(transactions < 300, $"{transactions} transactions for 601 entries");

        var usd = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
        Assert.Equal((9_700m, 0m), (usd.Available, usd.Pending));
        await CustomerSilo.DeactivateAsync(grain);
        var reloaded = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
        Assert.Equal((9_700m, 0m, 601L), (reloaded.Available, reloaded.Pending, (await grain.GetActivationInfoAsync()).Version));
    }

    [Fact]
    public async Task QueuedCommandsWithKeysTheLedgerHolds_EachAnsweredExactly_NothingDoubled()
    {
        var customerId = fixture.NewCustomerId("hotkeys");
        var grain = await Silo.CreatedAsync(customerId);
        var first = await grain.GrantAsync(Commands.Usd(100m), Commands.WithKey("grant-1"));
        var original = await grain.ApplyAsync("inv_paid", Commands.Total(10m), Commands.Api);
        await grain.PayInvoiceAsync("inv_paid", Commands.Api);
        await CustomerSilo.DeactivateAsync(grain);

        // New grants and applies queue up together with replays of a granted key and of a paid (no longer held)
        // invoice, and a different request under the granted key.
        var grants = Enumerable.Range(0, 30).Select(i => grain.GrantAsync(Commands.Usd(1m), Commands.WithKey($"new-{i}"))).ToList();
        var replays = Enumerable.Range(0, 5).Select(_ => grain.GrantAsync(Commands.Usd(100m), Commands.WithKey("grant-1"))).ToList();
        var reused = grain.GrantAsync(Commands.Usd(7m), Commands.WithKey("grant-1"));
        var applies = Enumerable.Range(0, 30).Select(i => grain.ApplyAsync($"inv_{i}", Commands.Total(2m), Commands.Api)).ToList();
        var reapplied = Enumerable.Range(0, 5).Select(_ => grain.ApplyAsync("inv_paid", Commands.Total(10m), Commands.Api)).ToList();
        var granted = await Task.WhenAll(grants);
        var replayed = await Task.WhenAll(replays);
        var reuse = await reused;
        var appliedNow = await Task.WhenAll(applies);
        var appliedBefore = await Task.WhenAll(reapplied);

        Assert.All(granted, g => Assert.Equal(CommandStatus.Created, g.Status));
        Assert.All(replayed, r => Assert.Equal((CommandStatus.Created, true, first.Grant!.GrantId), (r.Status, r.Replayed, r.Grant!.GrantId)));
        Assert.Equal(CommandStatus.IdempotencyKeyReused, reuse.Status);
        Assert.All(appliedNow, a => Assert.Equal((CommandStatus.Ok, 2m), (a.Status, a.Invoice!.Lines[0].Applied)));
        // An apply replayed answers what the apply answered then.
        Assert.All(appliedBefore, a => Assert.Equal((CommandStatus.Ok, true, original.Version, "pending"), (a.Status, a.Replayed, a.Version, a.Invoice!.Status)));

        Assert.Equal(31L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1 AND kind = 'granted'", customerId));
        Assert.Equal(31L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1 AND kind = 'applied'", customerId));
        Assert.Equal(63L, await fixture.ScalarAsync<long>("SELECT max(seq) FROM ledger_entries WHERE customer_id = $1", customerId));
        Assert.Equal(63L, await fixture.ScalarAsync<long>("SELECT count(DISTINCT seq) FROM ledger_entries WHERE customer_id = $1", customerId));
        var usd = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
        Assert.Equal((130m - 10m - 60m, 60m), (usd.Available, usd.Pending));
    }
}
