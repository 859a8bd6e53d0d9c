using CsCheck;

namespace CreditLedger.Domain.Tests;

/// <summary>
/// Thousands of random command sequences (grants of both kinds in several currencies, applies, pays, voids,
/// time jumping onto, just before and just after expiries) run against <see cref="CustomerCredits"/> and a
/// deliberately simple reference model side by side: balances and invoice results agree after every step,
/// every grant conserves its amount, nothing goes negative, versions are gapless, and replaying the entries
/// from nothing gives the same grants.
/// </summary>
public sealed class CreditPropertyTests
{
    private static readonly CreditType[] Types =
        [Credits.Usd, Credits.Jpy, CreditType.Currency("KWD"), Credits.ApiCalls];

    private static readonly Gen<Step> StepGen = Gen.Select(Gen.Int[0, 11], Gen.Int[0, 1_000_000], Gen.Int[0, 1_000_000], Gen.Int[0, 1_000_000], Gen.Int[0, 7])
        .Select((op, a, b, c, clock) => new Step(op, a, b, c, clock));

    [Fact]
    public void RandomCommandSequences_AgreeWithReferenceModel_AndReplay()
    {
        StepGen.Array[1, 60].Sample(RunSequence, iter: 3_000);
    }

    private static void RunSequence(Step[] steps)
    {
        var credits = new CustomerCredits();
        var model = new Model();
        var entries = new List<LedgerEntry>();
        var closedInvoices = new Dictionary<string, Invoice>();
        var now = Credits.Start;
        var grantCounter = 0;
        var invoiceCounter = 0;

        foreach (var step in steps)
        {
            now = Advance(now, step.Clock, model);
            Decision decision;
            switch (step.Op)
            {
                case <= 3:
                    {
                        var type = Types[step.A % Types.Length];
                        var amount = Amount(type, step.B);
                        var expiresAt = (step.C % 4) switch
                        {
                            0 => (DateTimeOffset?)null,
                            1 => now.AddDays(1 + (step.C % 40)),
                            2 when model.Grants.Count > 0 => model.Grants[step.C % model.Grants.Count].ExpiresAt is { } e && e > now ? e : now.AddHours(5),
                            _ => now.AddHours(1 + (step.C % 500)),
                        };
                        var effectiveAt = step.B % 5 == 0 ? now.AddHours(step.B % 48) : (DateTimeOffset?)null;
                        if (expiresAt <= effectiveAt)
                        {
                            expiresAt = effectiveAt.Value.AddHours(1);
                        }

                        var request = new GrantRequest(
                            $"g{++grantCounter}", type, amount, "reason", step.A % 3 == 0 ? step.B % 101 : null,
                            step.C % 2 == 0 ? GrantCategory.Promotional : GrantCategory.Paid, effectiveAt, expiresAt);
                        decision = credits.PlanGrant(request, Credits.Api, now);
                        Assert.Equal(DecisionOutcome.Changed, decision.Outcome);
                        model.Grant(request, now);
                        break;
                    }

                case <= 6:
                    {
                        var lines = Types
                            .Where((_, i) => ((step.A >> i) & 1) == 1 || i == step.A % Types.Length)
                            .Select((type, i) => new InvoiceRequestLine(type, Amount(type, (step.B + (i * 7919)) % 1_000_000) * (step.C % 3)))
                            .ToList();
                        var invoiceId = $"inv{++invoiceCounter}";
                        decision = credits.PlanApply(invoiceId, lines, Credits.Api, now);
                        var expected = model.Apply(invoiceId, lines, now);
                        Assert.Equal(DecisionOutcome.Changed, decision.Outcome);
                        Assert.Equal(expected, decision.Invoice!.Applications.Select(a => (a.GrantId, a.Amount)).ToArray());
                        Assert.All(decision.Invoice.Lines, l => Assert.True(l.Applied >= 0 && l.Due >= 0 && l.Applied <= l.Requested));
                        break;
                    }

                case 7 or 8:
                    {
                        if (PickInvoice(step, model, credits, closedInvoices) is not { } invoiceId)
                        {
                            continue;
                        }

                        var stored = closedInvoices.GetValueOrDefault(invoiceId);
                        var pay = step.Op == 7;
                        decision = pay
                            ? credits.PlanPay(invoiceId, Credits.Api, now, stored)
                            : credits.PlanVoidInvoice(invoiceId, Credits.Api, now, stored);
                        var expected = pay ? model.Pay(invoiceId, now) : model.VoidInvoice(invoiceId, now);
                        Assert.Equal(expected, decision.Outcome);
                        break;
                    }

                case 9 or 10:
                    {
                        if (model.Grants.Count == 0)
                        {
                            continue;
                        }

                        var grantId = model.Grants[step.A % model.Grants.Count].Id;
                        decision = credits.PlanVoidGrant(grantId, "void", Credits.Api, now);
                        Assert.Equal(model.VoidGrant(grantId, now), decision.Outcome);
                        break;
                    }

                default:
                    decision = credits.PlanExpiries(Provenance.Reminder, now);
                    model.RecordExpiries(now);
                    break;
            }

            if (decision.Outcome == DecisionOutcome.Changed)
            {
                Assert.Equal(credits.Version, decision.VersionBefore);
                Assert.Equal(
                    Enumerable.Range(1, decision.Entries.Count).Select(i => credits.Version + i).ToArray(),
                    decision.Entries.Select(e => e.Version).ToArray());
                credits.Commit(decision);
                entries.AddRange(decision.Entries);
                if (decision.Invoice is { Status: not InvoiceStatus.Pending } closed)
                {
                    closedInvoices[closed.InvoiceId] = closed;
                }
            }

            AssertAgrees(credits, model, now);
        }

        Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.OccurredAt <= p.Second.OccurredAt), "entries are in time order");
        var replayed = new CustomerCredits();
        foreach (var entry in entries)
        {
            replayed.Replay(entry);
        }

        Assert.Equal(credits.Version, replayed.Version);
        Assert.Equal(Describe(credits), Describe(replayed));
    }

    private static DateTimeOffset Advance(DateTimeOffset now, int clock, Model model)
    {
        var nextExpiry = model.Grants.Where(g => g.ExpiresAt > now).Min(g => g.ExpiresAt);
        return clock switch
        {
            0 => now,
            1 => now.AddTicks(1),
            2 => now.AddHours(3),
            3 => now.AddDays(4),
            4 when nextExpiry is { } e => e.AddTicks(-1),
            5 when nextExpiry is { } e => e,
            6 when nextExpiry is { } e => e.AddTicks(1),
            _ => now.AddMinutes(17),
        };
    }

    private static decimal Amount(CreditType type, int seed) =>
        (1 + (seed % 100_000)) / (decimal)Math.Pow(10, Math.Min(type.Scale, seed % 4));

    private static string? PickInvoice(Step step, Model model, CustomerCredits credits, Dictionary<string, Invoice> closed)
    {
        var ids = model.Invoices.Keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            model.Invoices.Where(i => i.Value.Status == InvoiceStatus.Pending).Select(i => i.Key).Order(StringComparer.Ordinal),
            credits.PendingInvoices.Select(i => i.InvoiceId).Order(StringComparer.Ordinal));
        Assert.Equal(
            model.Invoices.Where(i => i.Value.Status != InvoiceStatus.Pending).Select(i => i.Key).Order(StringComparer.Ordinal),
            closed.Keys.Order(StringComparer.Ordinal));
        return ids.Count == 0 ? null : ids[step.B % ids.Count];
    }

    private static void AssertAgrees(CustomerCredits credits, Model model, DateTimeOffset now)
    {
        foreach (var grant in credits.Grants)
        {
            Assert.True(grant.Remaining >= 0 && grant.Pending >= 0 && grant.Consumed >= 0 && grant.Expired >= 0 && grant.Voided >= 0);
            Assert.Equal(grant.Terms.Amount, grant.Remaining + grant.Pending + grant.Consumed + grant.Expired + grant.Voided);
        }

        var actual = credits.BalancesAt(now, 30);
        foreach (var type in Types)
        {
            var balance = actual.SingleOrDefault(b => b.CreditType == type);
            var expected = model.Balance(type, now, 30);
            Assert.Equal(expected, balance is null
                ? (0m, 0m, 0m, 0m, 0m, 0m, 0m)
                : (balance.Available, balance.Pending, balance.ExpiringSoon, balance.Granted, balance.Consumed, balance.Expired, balance.Voided));
            if (balance is not null)
            {
                Assert.Equal(balance.Available, credits.AvailableAt(type, now));
                Assert.True(balance.Available >= 0 && balance.Pending >= 0 && balance.ExpiringSoon <= balance.Available);
            }
        }
    }

    private static string Describe(CustomerCredits credits) =>
        string.Join('\n', credits.Grants.Select(g =>
            $"{g.GrantId} {g.Terms} v{g.CreatedVersion} r{g.Remaining} p{g.Pending} c{g.Consumed} e{g.Expired} v{g.Voided} {g.IsVoided}"));

    private sealed record Step(int Op, int A, int B, int C, int Clock);

    /// <summary>The reference model: the rules written the plainest way, with expiry applied eagerly at each instant.</summary>
    private sealed class Model
    {
        public List<ModelGrant> Grants { get; } = [];

        public Dictionary<string, ModelInvoice> Invoices { get; } = new(StringComparer.Ordinal);

        public void Grant(GrantRequest request, DateTimeOffset now)
        {
            RecordExpiries(now);
            Grants.Add(new ModelGrant(
                request.GrantId, request.CreditType, request.Amount, request.Priority ?? 50, request.Category,
                request.EffectiveAt ?? now, request.ExpiresAt, Grants.Count) { Remaining = request.Amount });
        }

        public (string, decimal)[] Apply(string invoiceId, List<InvoiceRequestLine> lines, DateTimeOffset now)
        {
            RecordExpiries(now);
            var applications = new List<(ModelGrant Grant, decimal Amount)>();
            foreach (var line in lines)
            {
                var due = line.Requested;
                var usable = Grants
                    .Where(g => g.Type == line.CreditType && g.UsableAt(now))
                    .OrderBy(g => g.Priority)
                    .ThenBy(g => g.ExpiresAt ?? DateTimeOffset.MaxValue)
                    .ThenBy(g => g.ExpiresAt is null ? 1 : 0)
                    .ThenBy(g => g.Category == GrantCategory.Promotional ? 0 : 1)
                    .ThenBy(g => g.EffectiveAt)
                    .ThenBy(g => g.Order);
                foreach (var grant in usable)
                {
                    if (due == 0)
                    {
                        break;
                    }

                    var take = Math.Min(due, grant.Remaining);
                    grant.Remaining -= take;
                    grant.Pending += take;
                    due -= take;
                    applications.Add((grant, take));
                }
            }

            Invoices[invoiceId] = new ModelInvoice(applications) { Status = InvoiceStatus.Pending };
            return applications.Select(a => (a.Grant.Id, a.Amount)).ToArray();
        }

        public DecisionOutcome Pay(string invoiceId, DateTimeOffset now)
        {
            var invoice = Invoices[invoiceId];
            if (invoice.Status != InvoiceStatus.Pending)
            {
                return invoice.Status == InvoiceStatus.Paid ? DecisionOutcome.AlreadyDone : DecisionOutcome.Rejected;
            }

            RecordExpiries(now);
            foreach (var (grant, amount) in invoice.Applications)
            {
                grant.Pending -= amount;
                grant.Consumed += amount;
            }

            invoice.Status = InvoiceStatus.Paid;
            return DecisionOutcome.Changed;
        }

        public DecisionOutcome VoidInvoice(string invoiceId, DateTimeOffset now)
        {
            var invoice = Invoices[invoiceId];
            if (invoice.Status != InvoiceStatus.Pending)
            {
                return invoice.Status == InvoiceStatus.Voided ? DecisionOutcome.AlreadyDone : DecisionOutcome.Rejected;
            }

            RecordExpiries(now);
            foreach (var (grant, amount) in invoice.Applications)
            {
                grant.Pending -= amount;
                if (grant.IsVoided)
                {
                    grant.Voided += amount;
                }
                else if (grant.ExpiresAt <= now)
                {
                    grant.Expired += amount;
                }
                else
                {
                    grant.Remaining += amount;
                }
            }

            invoice.Status = InvoiceStatus.Voided;
            return DecisionOutcome.Changed;
        }

        public DecisionOutcome VoidGrant(string grantId, DateTimeOffset now)
        {
            var grant = Grants.Single(g => g.Id == grantId);
            if (grant.IsVoided || grant.ExpiresAt <= now)
            {
                return DecisionOutcome.Rejected;
            }

            RecordExpiries(now);
            grant.Voided += grant.Remaining;
            grant.Remaining = 0;
            grant.IsVoided = true;
            return DecisionOutcome.Changed;
        }

        public void RecordExpiries(DateTimeOffset now)
        {
            foreach (var grant in Grants.Where(g => !g.IsVoided && g.ExpiresAt <= now))
            {
                grant.Expired += grant.Remaining;
                grant.Remaining = 0;
            }
        }

        public (decimal, decimal, decimal, decimal, decimal, decimal, decimal) Balance(CreditType type, DateTimeOffset now, int days)
        {
            var grants = Grants.Where(g => g.Type == type).ToList();
            var unrecordedExpiry = grants.Where(g => !g.IsVoided && g.ExpiresAt <= now).Sum(g => g.Remaining);
            var usable = grants.Where(g => g.UsableAt(now)).ToList();
            return (
                usable.Sum(g => g.Remaining),
                grants.Sum(g => g.Pending),
                usable.Where(g => g.ExpiresAt <= now.AddDays(days)).Sum(g => g.Remaining),
                grants.Sum(g => g.Amount),
                grants.Sum(g => g.Consumed),
                grants.Sum(g => g.Expired) + unrecordedExpiry,
                grants.Sum(g => g.Voided));
        }
    }

    private sealed record ModelGrant(
        string Id, CreditType Type, decimal Amount, int Priority, GrantCategory Category, DateTimeOffset EffectiveAt, DateTimeOffset? ExpiresAt, int Order)
    {
        public decimal Remaining { get; set; }

        public decimal Pending { get; set; }

        public decimal Consumed { get; set; }

        public decimal Expired { get; set; }

        public decimal Voided { get; set; }

        public bool IsVoided { get; set; }

        public bool UsableAt(DateTimeOffset now) =>
            !IsVoided && Remaining > 0 && EffectiveAt <= now && (ExpiresAt is null || now < ExpiresAt);
    }

    private sealed record ModelInvoice(List<(ModelGrant Grant, decimal Amount)> Applications)
    {
        public InvoiceStatus Status { get; set; }
    }
}
