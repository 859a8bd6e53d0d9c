using System.Text.Json;
using CreditLedger.Contracts.Customers;
using CreditLedger.Storage.Webhooks;
using CreditLedger.Testing;

namespace CreditLedger.Grains.Tests;

/// <summary>
/// The customer grain on a real PostgreSQL with a fake ledger clock: commands are durable as entries that carry their
/// events and invoice rows, idempotency keys and invoice ids replay, a foreign writer is fenced, queued commands share
/// commits, and concurrent applies on one customer never overdraw.
/// </summary>
public sealed class CustomerCreditGrainTests(GrainFixture fixture) : IClassFixture<GrainFixture>
{
    private CustomerSilo Silo => fixture.Silo;

    [Fact]
    public async Task Commands_UnknownCustomer_AnswerCustomerNotFoundAndWriteNothing()
    {
        var customerId = fixture.NewCustomerId("unknown");
        var grain = Silo.Customer(customerId);

        Assert.Equal(CommandStatus.CustomerNotFound, (await grain.GrantAsync(Commands.Usd(10m), Commands.Api)).Status);
        Assert.Equal(CommandStatus.CustomerNotFound, (await grain.ApplyAsync("inv", Commands.Total(5m), Commands.Api)).Status);
        Assert.Equal(CommandStatus.CustomerNotFound, (await grain.GetBalancesAsync(30)).Status);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1", customerId));
    }

    [Fact]
    public async Task GrantApplyPayVoid_WritesNumberedEntriesCarryingTheirEventsAndInvoiceRows()
    {
        var customerId = fixture.NewCustomerId("flow");
        var grain = await Silo.CreatedAsync(customerId);

        var grant = await grain.GrantAsync(Commands.Usd(50m, fixture.Clock.GetUtcNow().AddDays(90)), Commands.Api);
        var apply = await grain.ApplyAsync("inv_1", Commands.Total(150m), Commands.Api);
        var pay = await grain.PayInvoiceAsync("inv_1", Commands.Api);

        Assert.Equal((CommandStatus.Created, 1L), (grant.Status, grant.Version));
        Assert.Equal((CommandStatus.Ok, 2L, 50m, 100m), (apply.Status, apply.Version, apply.Invoice!.Lines[0].Applied, apply.Invoice.Lines[0].Due));
        Assert.Equal((CommandStatus.Ok, 3L, "paid"), (pay.Status, pay.Version, pay.Invoice!.Status));
        Assert.Equal(
            ["1 granted 50", "2 applied -50", "3 paid 0"],
            await fixture.StringsAsync("SELECT seq || ' ' || kind || ' ' || amount::float8 FROM ledger_entries WHERE customer_id = $1 ORDER BY seq", customerId));
        Assert.Equal(
            ["1 account.credits.granted", "2 account.credits.applied", "2 account.credits.balance_depleted"],
            await fixture.StringsAsync("SELECT version || ' ' || event_type FROM credit_events WHERE customer_id = $1 ORDER BY version, event_type", customerId));
        Assert.Equal("paid", (await fixture.StringsAsync("SELECT status FROM invoices WHERE customer_id = $1 AND invoice_id = 'inv_1'", customerId)).Single());

        var balances = await grain.GetBalancesAsync(30);
        var usd = Assert.Single(balances.Balances);
        Assert.Equal((0m, 0m, 50m, 50m), (usd.Available, usd.Pending, usd.Consumed, usd.Granted));
        Assert.Equal(3L, balances.Version);
    }

    [Fact]
    public async Task GrantedEvent_RenderedFromItsEntry_CarriesEntryBalanceAndGrantAsDocumented()
    {
        var customerId = fixture.NewCustomerId("event");
        var grain = await Silo.CreatedAsync(customerId);
        var grant = await grain.GrantedAsync(Commands.Usd(25m, fixture.Clock.GetUtcNow().AddDays(90)));

        // The feed shows an entry once every transaction older than its own has ended.
        FeedEntry? entry = null;
        await Eventually.UntilAsync(
            async () =>
            {
                var feed = await new WebhookStore(fixture.DataSource).ReadFeedAsync(new FeedPosition("0", string.Empty, 0), 100_000);
                entry = feed.SingleOrDefault(f => f.CustomerId.Value == customerId);
                return entry is not null;
            },
            TimeSpan.FromSeconds(10),
            "the grant's entry in the webhook feed");
        var granted = Assert.Single(entry!.Entry.CreditEvents());
        var payload = CreditEventPayloads.Render(
            entry.CustomerId, CreditEventPayloads.EventId(entry.CustomerId, 1, granted.Type), granted, entry.Terms, entry.RecordedAt);
        using var json = JsonDocument.Parse(payload);
        var root = json.RootElement;
        var data = root.GetProperty("data");

        Assert.StartsWith("evt_", root.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("account.credits.granted", root.GetProperty("type").GetString());
        Assert.Equal((customerId, "USD", 1), (data.GetProperty("customerId").GetString(), data.GetProperty("creditType").GetString(), data.GetProperty("version").GetInt32()));
        Assert.Equal(("granted", "25.00", "25.00"), (
            data.GetProperty("entry").GetProperty("kind").GetString(),
            data.GetProperty("entry").GetProperty("amount").GetString(),
            data.GetProperty("entry").GetProperty("availableAfter").GetString()));
        Assert.Equal(("25.00", "0.00"), (data.GetProperty("balance").GetProperty("available").GetString(), data.GetProperty("balance").GetProperty("pending").GetString()));
        Assert.Equal((grant.GrantId, "Welcome credit"), (data.GetProperty("grant").GetProperty("grantId").GetString(), data.GetProperty("grant").GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Grant_SameIdempotencyKey_ReplaysOriginal_DifferentRequest_KeyReused()
    {
        var customerId = fixture.NewCustomerId("idem");
        var grain = await Silo.CreatedAsync(customerId);

        var first = await grain.GrantAsync(Commands.Usd(10m), Commands.WithKey("k1"));
        var again = await grain.GrantAsync(Commands.Usd(10.00m), Commands.WithKey("k1"));
        var different = await grain.GrantAsync(Commands.Usd(11m), Commands.WithKey("k1"));

        Assert.Equal((CommandStatus.Created, false), (first.Status, first.Replayed));
        Assert.Equal((CommandStatus.Created, true, first.Grant!.GrantId, first.Version), (again.Status, again.Replayed, again.Grant!.GrantId, again.Version));
        Assert.Equal(CommandStatus.IdempotencyKeyReused, different.Status);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1", customerId));
    }

    [Fact]
    public async Task VoidGrant_WithKey_RejectionIsRememberedToo()
    {
        var customerId = fixture.NewCustomerId("voidkey");
        var grain = await Silo.CreatedAsync(customerId);
        var grant = await grain.GrantedAsync(Commands.Usd(10m));

        var voided = await grain.VoidGrantAsync(grant.GrantId, "Duplicate grant", Commands.WithKey("v1"));
        var replay = await grain.VoidGrantAsync(grant.GrantId, "Duplicate grant", Commands.WithKey("v1"));
        var secondVoid = await grain.VoidGrantAsync(grant.GrantId, "Duplicate grant", Commands.WithKey("v2"));
        var secondReplay = await grain.VoidGrantAsync(grant.GrantId, "Duplicate grant", Commands.WithKey("v2"));

        Assert.Equal((CommandStatus.Ok, "voided", 10m, 2L), (voided.Status, voided.Grant!.Status, voided.VoidedAmount!.Value, voided.Version));
        Assert.Equal((CommandStatus.Ok, true, 2L), (replay.Status, replay.Replayed, replay.Version));
        Assert.Equal((CommandStatus.GrantNotActive, false), (secondVoid.Status, secondVoid.Replayed));
        Assert.Equal((CommandStatus.GrantNotActive, true), (secondReplay.Status, secondReplay.Replayed));
        Assert.Equal("Welcome credit", voided.Grant.Reason);
    }

    [Fact]
    public async Task Apply_SameInvoiceAfterPaidAndReactivation_ReplaysOriginal_DifferentRequestRejected()
    {
        var customerId = fixture.NewCustomerId("replay");
        var grain = await Silo.CreatedAsync(customerId);
        await grain.GrantedAsync(Commands.Usd(30m));
        var original = await grain.ApplyAsync("inv_9", Commands.Total(20m), Commands.Api);
        await grain.PayInvoiceAsync("inv_9", Commands.Api);
        await CustomerSilo.DeactivateAsync(grain);

        var again = await grain.ApplyAsync("inv_9", Commands.Total(20.00m), Commands.Api);
        var different = await grain.ApplyAsync("inv_9", Commands.Total(25m), Commands.Api);
        var payAgain = await grain.PayInvoiceAsync("inv_9", Commands.Api);
        var voidPaid = await grain.VoidInvoiceAsync("inv_9", Commands.Api);

        Assert.Equal((CommandStatus.Ok, true, original.Version, "pending"), (again.Status, again.Replayed, again.Version, again.Invoice!.Status));
        Assert.Equal(original.Invoice!.Applications, again.Invoice.Applications);
        Assert.Equal(CommandStatus.InvoiceAlreadyApplied, different.Status);
        Assert.Equal((CommandStatus.Ok, "paid", 3L), (payAgain.Status, payAgain.Invoice!.Status, payAgain.Version));
        Assert.Equal(CommandStatus.InvoiceStateConflict, voidPaid.Status);
        Assert.Equal(3L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1", customerId));
    }

    [Fact]
    public async Task Write_ConflictingRowBehindGrainsBack_FailsReloadsAndOverwritesNothing()
    {
        var customerId = fixture.NewCustomerId("fence");
        var grain = await Silo.CreatedAsync(customerId);
        var grant = await grain.GrantedAsync(Commands.Usd(40m));

        // Another writer (a second activation, say) appends version 2 behind this activation's back.
        var at = fixture.Clock.GetUtcNow();
        await fixture.ExecuteAsync(
            """
            INSERT INTO ledger_entries (customer_id, seq, kind, grant_id, credit_type, amount, available_after, invoice_id, actor, source, occurred_at)
            VALUES ($1, 2, 'applied', $2, 'USD', -15, 25, 'inv_foreign', 'key:other', 'api', $3)
            """,
            customerId, grant.GrantId, at);
        await fixture.ExecuteAsync(
            """
            INSERT INTO invoices (customer_id, invoice_id, status, lines, applications, applied_version, applied_at, updated_version, updated_at)
            VALUES ($1, 'inv_foreign', 'pending', '[{"creditType":"USD","requested":15,"applied":15}]', $2::jsonb, 2, $3, 2, $3)
            """,
            customerId, $$"""[{"grantId":"{{grant.GrantId}}","creditType":"USD","amount":15}]""", at);

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => grain.ApplyAsync("inv_mine", Commands.Total(10m), Commands.Api));
        var retried = await grain.ApplyAsync("inv_mine", Commands.Total(10m), Commands.Api);

        Assert.Equal((CommandStatus.Ok, 3L), (retried.Status, retried.Version));
        Assert.Equal(
            ["1 granted inv:", "2 applied inv:inv_foreign", "3 applied inv:inv_mine"],
            await fixture.StringsAsync("SELECT seq || ' ' || kind || ' inv:' || coalesce(invoice_id, '') FROM ledger_entries WHERE customer_id = $1 ORDER BY seq", customerId));
        var usd = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
        Assert.Equal((15m, 25m), (usd.Available, usd.Pending));

        // The rolled-back attempt left no event; the committed retry has its own.
        Assert.Equal(
            ["1 account.credits.granted", "3 account.credits.applied"],
            await fixture.StringsAsync("SELECT version || ' ' || event_type FROM credit_events WHERE customer_id = $1 ORDER BY version, event_type", customerId));
    }

    [Fact]
    public async Task Apply_1000ConcurrentFor100Invoices_NeverOverdrawsAndAppliesEachInvoiceOnce()
    {
        var customerId = fixture.NewCustomerId("concurrent");
        var grain = await Silo.CreatedAsync(customerId);
        await grain.GrantedAsync(Commands.Usd(500m));

        var results = await Task.WhenAll(Enumerable.Range(0, 1_000)
            .Select(i => grain.ApplyAsync($"inv_{i % 100}", Commands.Total(7m), Commands.Api)));

        Assert.All(results, r => Assert.Equal(CommandStatus.Ok, r.Status));
        var byInvoice = results.GroupBy(r => r.Invoice!.InvoiceId).ToList();
        Assert.Equal(100, byInvoice.Count);
        Assert.All(byInvoice, g => Assert.Single(g.Select(r => r.Invoice!.Lines[0].Applied).Distinct()));
        Assert.Equal(900, results.Count(r => r.Replayed));
        Assert.Equal(500m, byInvoice.Sum(g => g.First().Invoice!.Lines[0].Applied));
        Assert.Equal(500m, await fixture.ScalarAsync<decimal>("SELECT -sum(amount) FROM ledger_entries WHERE customer_id = $1 AND kind = 'applied'", customerId));
        Assert.Equal(100L, await fixture.ScalarAsync<long>("SELECT count(*) FROM invoices WHERE customer_id = $1", customerId));
        Assert.Equal(0L, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT invoice_id FROM ledger_entries WHERE customer_id = $1 AND kind = 'applied' GROUP BY invoice_id HAVING count(*) > 1) d", customerId));
        var usd = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
        Assert.Equal((0m, 500m), (usd.Available, usd.Pending));
    }

    [Fact]
    public async Task State_AfterDeactivation_IsIdentical()
    {
        var customerId = fixture.NewCustomerId("reload");
        var grain = await Silo.CreatedAsync(customerId);
        var expiring = await grain.GrantedAsync(Commands.Usd(30m, fixture.Clock.GetUtcNow().AddDays(10)));
        await grain.GrantedAsync(Commands.Usd(20m));
        await grain.ApplyAsync("inv_1", Commands.Total(12m), Commands.Api);
        await grain.ApplyAsync("inv_2", Commands.Total(5m), Commands.Api);
        await grain.PayInvoiceAsync("inv_1", Commands.Api);
        await grain.VoidGrantAsync(expiring.GrantId, "Mistake", Commands.Api);
        var before = await grain.DescribeAsync();

        await CustomerSilo.DeactivateAsync(grain);
        var info = await grain.GetActivationInfoAsync();

        Assert.Equal(before, await grain.DescribeAsync());
        Assert.Equal(6L, info.EntriesReplayed);
    }

    [Fact]
    public async Task Apply_QueuedBehindACommit_AnswersEachLikeSeparateApplies()
    {
        var customerId = fixture.NewCustomerId("batch");
        var grain = await Silo.CreatedAsync(customerId);
        await grain.GrantedAsync(Commands.Usd(10m));
        var earlier = await grain.ApplyAsync("inv_0", Commands.Total(1m), Commands.Api);

        // Sent without waiting: those that arrive while a commit is in flight are planned into the next group.
        var answers = await Task.WhenAll(
            grain.ApplyAsync("inv_1", Commands.Total(4m), Commands.Api),
            grain.ApplyAsync("inv_2", Commands.Total(4m), Commands.Api),
            grain.ApplyAsync("inv_1", Commands.Total(4m), Commands.Api),
            grain.ApplyAsync("inv_0", Commands.Total(1m), Commands.Api),
            grain.ApplyAsync("inv_0", Commands.Total(2m), Commands.Api),
            grain.ApplyAsync("inv_3", Commands.Total(4m), Commands.Api));

        Assert.Equal(
            [(CommandStatus.Ok, 3L, 4m, false), (CommandStatus.Ok, 4L, 4m, false), (CommandStatus.Ok, 3L, 4m, true), (CommandStatus.Ok, earlier.Version, 1m, true)],
            answers.Take(4).Select(a => (a.Status, a.Version, a.Invoice!.Lines[0].Applied, a.Replayed)));
        Assert.Equal(CommandStatus.InvoiceAlreadyApplied, answers[4].Status);
        Assert.Equal((CommandStatus.Ok, 5L, 1m, 3m), (answers[5].Status, answers[5].Version, answers[5].Invoice!.Lines[0].Applied, answers[5].Invoice!.Lines[0].Due));
        // A value the edge refuses is the caller's bug here: thrown back to it alone, nothing planned or written.
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.ApplyAsync("inv_4", Commands.Total(1.001m), Commands.Api));
        Assert.Equal(["2 inv_0", "3 inv_1", "4 inv_2", "5 inv_3"], await fixture.StringsAsync(
            "SELECT seq || ' ' || invoice_id FROM ledger_entries WHERE customer_id = $1 AND kind = 'applied' ORDER BY seq", customerId));
        await CustomerSilo.DeactivateAsync(grain);
        var usd = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
        Assert.Equal((0m, 10m, 5L), (usd.Available, usd.Pending, (await grain.GetBalancesAsync(30)).Version));
    }

    [Fact]
    public async Task ApplyAndPay_ConcurrentOnOneCustomer_ShareCommits()
    {
        var customerId = fixture.NewCustomerId("share");
        var grain = await Silo.CreatedAsync(customerId);
        await grain.GrantedAsync(Commands.Usd(1_000m));
        for (var i = 0; i < 50; i++)
        {
            await grain.ApplyAsync($"inv_old_{i}", Commands.Total(1m), Commands.Api);
        }

        var calls = new List<Task<InvoiceResult>>();
        for (var i = 0; i < 50; i++)
        {
            calls.Add(grain.PayInvoiceAsync($"inv_old_{i}", Commands.Api));
            calls.Add(grain.ApplyAsync($"inv_new_{i}", Commands.Total(1m), Commands.Api));
        }

        Assert.All(await Task.WhenAll(calls), r => Assert.Equal(CommandStatus.Ok, r.Status));
        Assert.True(
            await fixture.ScalarAsync<long>(
                """
                SELECT count(*) FROM (SELECT tx_id FROM ledger_entries WHERE customer_id = $1 AND seq > 51
                                      GROUP BY tx_id HAVING bool_or(kind = 'paid') AND bool_or(kind = 'applied')) t
                """,
                customerId) > 0,
            "No commit held both an apply and a pay.");
        Assert.Equal(101L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1 AND kind = 'applied' OR customer_id = $1 AND kind = 'granted'", customerId));
    }

    [Fact]
    public async Task Apply_LedgerRefusesTheGroup_NothingWrittenAndEachRetryThenSucceeds()
    {
        var customerId = fixture.NewCustomerId("batchfence");
        var grain = await Silo.CreatedAsync(customerId);
        var grant = await grain.GrantedAsync(Commands.Usd(40m));
        await fixture.ExecuteAsync(
            """
            INSERT INTO ledger_entries (customer_id, seq, kind, grant_id, credit_type, amount, available_after, invoice_id, actor, source, occurred_at)
            VALUES ($1, 2, 'voided', $2, 'USD', -40, 0, NULL, 'key:other', 'api', $3)
            """,
            customerId, grant.GrantId, fixture.Clock.GetUtcNow());

        // The activation whose memory missed the other writer's void is refused by the ledger, with every command queued
        // behind it. A command that arrives once that activation is gone meets a new one, which read the void: it
        // applies nothing.
        var first = await Task.WhenAll(AttemptAsync("inv_a"), AttemptAsync("inv_b"));
        var retried = await Task.WhenAll(grain.ApplyAsync("inv_a", Commands.Total(5m), Commands.Api), grain.ApplyAsync("inv_b", Commands.Total(5m), Commands.Api));

        Assert.Contains(first, a => a.Failure is LedgerUnavailableException);
        Assert.All(first, a => Assert.True(
            a.Failure is LedgerUnavailableException || (a.Failure is null && a.Result!.Status == CommandStatus.Ok && a.Result.Invoice!.Lines[0].Applied == 0m),
            $"{a.Failure?.GetType().Name ?? a.Result!.Status.ToString()}"));
        Assert.All(retried, r => Assert.Equal((CommandStatus.Ok, 0m, 2L), (r.Status, r.Invoice!.Lines[0].Applied, r.Version)));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1 AND kind = 'applied'", customerId));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM credit_events WHERE customer_id = $1 AND event_type = 'account.credits.applied'", customerId));

        async Task<(Exception? Failure, InvoiceResult? Result)> AttemptAsync(string invoiceId)
        {
            try
            {
                return (null, await grain.ApplyAsync(invoiceId, Commands.Total(5m), Commands.Api));
            }
            catch (Exception e)
            {
                return (e, null);
            }
        }
    }
}
