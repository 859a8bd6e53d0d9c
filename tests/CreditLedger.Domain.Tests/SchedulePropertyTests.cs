using CsCheck;

namespace CreditLedger.Domain.Tests;

/// <summary>
/// Random sequences of schedule creations and cancels, grants, applies, pays, voids, reminders (some delivered twice)
/// and restarts, with the clock jumping before, onto and after period boundaries and expiries, run against
/// <see cref="CustomerCredits"/> and a plain reference model that records everything eagerly: balances agree after
/// every step, reads see the periods that have started, and every period is granted exactly once.
/// </summary>
public sealed class SchedulePropertyTests
{
    private static readonly CreditType[] Types = [Credits.Usd, Credits.ApiCalls];

    private static readonly ScheduleInterval[] Intervals =
        [ScheduleInterval.Of(TimeSpan.FromMinutes(1)), ScheduleInterval.Of(TimeSpan.FromMinutes(47)), ScheduleInterval.Of(TimeSpan.FromDays(1)), ScheduleInterval.Month];

    private static readonly Gen<Step> StepGen = Gen.Select(Gen.Int[0, 15], Gen.Int[0, 1_000_000], Gen.Int[0, 1_000_000], Gen.Int[0, 1_000_000], Gen.Int[0, 9])
        .Select((op, a, b, c, clock) => new Step(op, a, b, c, clock));

    [Fact]
    public void RandomSchedulesAndCommands_AgreeWithReferenceModel_EveryPeriodOnce()
    {
        StepGen.Array[1, 50].Sample(RunSequence, iter: 1_000);
    }

    private static void RunSequence(Step[] steps)
    {
        var run = new Run();
        foreach (var step in steps)
        {
            run.Now = Advance(run.Now, step.Clock, run.Model);
            run.Take(step);
            run.AssertAgrees();
        }

        // A reminder at the end records whatever is due: then the ledger holds exactly the model's periods.
        run.Reminder();
        run.AssertAgrees();
        run.AssertPeriodsRecordedOnce(exact: true);
    }

    private static DateTimeOffset Advance(DateTimeOffset now, int clock, Model model)
    {
        var next = model.NextInstantAfter(now);
        return clock switch
        {
            0 => now,
            1 => now.AddTicks(1),
            2 => now.AddMinutes(3),
            3 => now.AddMinutes(65),
            4 => now.AddDays(2),
            5 when next is { } e => e.AddTicks(-1),
            6 or 7 when next is { } e => e,
            8 when next is { } e => e.AddTicks(1),
            _ => now.AddSeconds(41),
        };
    }

    private static decimal Amount(CreditType type, int seed) => type.Scale == 2 ? (1 + (seed % 5_000)) / 100m : 1 + (seed % 500);

    private sealed record Step(int Op, int A, int B, int C, int Clock);

    private sealed class Run
    {
        private readonly Dictionary<string, CreditSchedule> _stored = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Invoice> _closed = new(StringComparer.Ordinal);
        private readonly List<LedgerEntry> _entries = [];
        private CustomerCredits _credits = new();
        private int _counter;

        public DateTimeOffset Now { get; set; } = Credits.Start;

        public Model Model { get; } = new();

        public void Take(Step step)
        {
            switch (step.Op)
            {
                case <= 2:
                    CreateSchedule(step);
                    break;
                case 3:
                    {
                        if (Model.Schedules.Count == 0)
                        {
                            return;
                        }

                        var scheduleId = Model.Schedules[step.A % Model.Schedules.Count].Schedule.ScheduleId;
                        var decision = _credits.PlanCancelSchedule(scheduleId, "cancelled", Credits.Api, Now);
                        Assert.Equal(Model.Cancel(scheduleId, Now), decision.Outcome);
                        Commit(decision);
                        break;
                    }

                case 4 or 5:
                    {
                        var type = Types[step.A % Types.Length];
                        var request = new GrantRequest(
                            $"g{++_counter}", type, Amount(type, step.B), "manual", step.C % 3 == 0 ? step.C % 101 : null, GrantCategory.Paid, null,
                            step.C % 2 == 0 ? Now.AddMinutes(1 + (step.C % 120)) : null);
                        var decision = _credits.PlanGrant(request, Credits.Api, Now);
                        Assert.Equal(DecisionOutcome.Changed, decision.Outcome);
                        Model.Grant(request, Now);
                        Commit(decision);
                        break;
                    }

                case <= 8:
                    {
                        var type = Types[step.A % Types.Length];
                        var lines = new List<InvoiceRequestLine> { new(type, Amount(type, step.B) * (step.C % 4)) };
                        var invoiceId = $"inv{++_counter}";
                        var decision = _credits.PlanApply(invoiceId, lines, Credits.Api, Now);
                        var expected = Model.Apply(invoiceId, lines, Now);
                        Assert.Equal(DecisionOutcome.Changed, decision.Outcome);
                        Assert.Equal(expected, decision.Invoice!.Applications.Select(a => (a.GrantId, a.Amount)).ToArray());
                        Commit(decision);
                        break;
                    }

                case 9:
                    {
                        var ids = Model.Invoices.Keys.Order(StringComparer.Ordinal).ToList();
                        if (ids.Count == 0)
                        {
                            return;
                        }

                        var invoiceId = ids[step.B % ids.Count];
                        var pay = step.C % 2 == 0;
                        var stored = _closed.GetValueOrDefault(invoiceId);
                        var decision = pay ? _credits.PlanPay(invoiceId, Credits.Api, Now, stored) : _credits.PlanVoidInvoice(invoiceId, Credits.Api, Now, stored);
                        Assert.Equal(pay ? Model.Pay(invoiceId, Now) : Model.VoidInvoice(invoiceId, Now), decision.Outcome);
                        Commit(decision);
                        break;
                    }

                case 10:
                    {
                        Model.AdvanceTo(Now);
                        if (Model.Grants.Count == 0)
                        {
                            return;
                        }

                        var grantId = Model.Grants[step.A % Model.Grants.Count].Id;
                        var decision = _credits.PlanVoidGrant(grantId, "void", Credits.Api, Now);
                        Assert.Equal(Model.VoidGrant(grantId, Now), decision.Outcome);
                        Commit(decision);
                        break;
                    }

                case 11 or 12:
                    Reminder();
                    if (step.C % 2 == 0)
                    {
                        // A reminder delivered twice at the same instant records nothing the second time.
                        var again = _credits.PlanExpiries(Provenance.Reminder, Now);
                        Assert.Empty(again.Entries);
                    }

                    break;
                case 13:
                    Restart(fromSnapshot: step.C % 2 == 0);
                    break;
                default:
                    // A read: nothing is written, and what it sees is checked by AssertAgrees.
                    break;
            }
        }

        public void Reminder()
        {
            var decision = _credits.PlanExpiries(Provenance.Reminder, Now);
            Model.AdvanceTo(Now);
            Commit(decision);
            AssertPeriodsRecordedOnce(exact: true);
        }

        public void AssertAgrees()
        {
            Model.AdvanceTo(Now);
            foreach (var type in Types)
            {
                var balance = _credits.BalancesAt(Now, 30).SingleOrDefault(b => b.CreditType == type);
                Assert.Equal(
                    Model.Balance(type, Now, 30),
                    balance is null
                        ? (0m, 0m, 0m, 0m, 0m, 0m, 0m)
                        : (balance.Available, balance.Pending, balance.ExpiringSoon, balance.Granted, balance.Consumed, balance.Expired, balance.Voided));
            }

            // Reads see every period that has started, recorded or not, under its derived id; grants that have ended
            // (nothing remaining or pending, and voided or expired by the latest entry) have left memory.
            var seen = _credits.GrantPage(null, null, 10_000, Now).Page.Select(g => g.GrantId).Order(StringComparer.Ordinal);
            var latest = _credits.SeenAt(Now).LastOccurredAt;
            var live = Model.Grants.Where(g => !(latest is { } l && g.Remaining == 0 && g.Pending == 0 && (g.IsVoided || g.ExpiresAt <= l)));
            Assert.Equal(live.Select(g => g.Id).Order(StringComparer.Ordinal), seen);
            foreach (var model in Model.Schedules)
            {
                Assert.Equal(model.Schedule.StatusAt(Now), _credits.FindSchedule(model.Schedule.ScheduleId)!.StatusAt(Now));
            }

            AssertPeriodsRecordedOnce(exact: false);
        }

        // Every period grant in the ledger is one the model granted, none twice; with exact, all of the model's are there.
        public void AssertPeriodsRecordedOnce(bool exact)
        {
            var recorded = _entries.Where(e => e.Kind == EntryKind.Granted && e.Grant!.ScheduleId is not null).Select(e => e.GrantId).ToList();
            Assert.Equal(recorded.Count, recorded.Distinct(StringComparer.Ordinal).Count());
            var granted = Model.Grants.Where(g => g.ScheduleId is not null).Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
            Assert.Subset(granted, recorded.ToHashSet(StringComparer.Ordinal));
            if (exact)
            {
                Assert.Equal(granted.Order(StringComparer.Ordinal), recorded.Order(StringComparer.Ordinal));
                foreach (var model in Model.Schedules)
                {
                    Assert.Equal(model.PeriodsGranted, _credits.PeriodsRecorded(model.Schedule.ScheduleId));
                }
            }
        }

        private void CreateSchedule(Step step)
        {
            var type = Types[step.A % Types.Length];
            var startsAt = (step.B % 4) switch
            {
                0 => (DateTimeOffset?)null,
                1 => Now.AddMinutes(-(step.C % 6)),
                2 => Now.AddMinutes(step.C % 200),
                _ => Model.NextInstantAfter(Now) ?? Now,
            };
            var request = new ScheduleRequest(
                $"sch_{++_counter:D5}", type, Amount(type, step.B), "allowance", step.C % 3 == 0 ? step.C % 101 : null,
                step.A % 5 == 0 ? GrantCategory.Promotional : GrantCategory.Paid, Intervals[step.C % Intervals.Length], startsAt,
                step.A % 3 == 0 && step.C % Intervals.Length != 0 ? null : 1 + (step.A % 6), step.B % 2 == 0 ? Amount(type, step.C) : null);
            var decision = _credits.PlanCreateSchedule(request, Credits.Api, Now);
            Assert.Equal(Model.CreateSchedule(request, Now), decision.Outcome);
            Commit(decision);
        }

        private void Commit(Decision decision)
        {
            if (decision.Outcome != DecisionOutcome.Changed)
            {
                return;
            }

            Assert.Equal(Enumerable.Range(1, decision.Entries.Count).Select(i => _credits.Version + i), decision.Entries.Select(e => e.Version));

            // Low and depleted are judged after the whole instant: a period's grant at the same instant as a
            // depletion would have refilled the balance first.
            var entries = decision.Entries;
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Events.HasFlag(EntryEvents.BalanceDepleted))
                {
                    Assert.Equal(0, entries[i].AvailableAfter);
                    Assert.DoesNotContain(entries.Skip(i + 1), e => e.CreditType == entries[i].CreditType && e.OccurredAt == entries[i].OccurredAt && e.Kind == EntryKind.Granted && e.Grant!.ScheduleId is not null);
                }
            }

            _credits.Commit(decision);
            _entries.AddRange(decision.Entries);
            Assert.True(_entries.Zip(_entries.Skip(1)).All(p => p.First.OccurredAt <= p.Second.OccurredAt), "entries are in time order");
            if (decision.Schedule is { } schedule)
            {
                _stored[schedule.ScheduleId] = schedule;
            }

            if (decision.Invoice is { Status: not InvoiceStatus.Pending } closed)
            {
                _closed[closed.InvoiceId] = closed;
            }
        }

        // A new activation: from the whole ledger, or from a snapshot of the current state; either way the schedules
        // come from their store and the unpaid invoices are tracked again.
        private void Restart(bool fromSnapshot)
        {
            var restarted = fromSnapshot
                ? CustomerCredits.Restore(
                    _credits.Version,
                    _credits.LastOccurredAt,
                    _credits.Grants.Select(g => Grant.Restore(g.Terms, g.CreatedVersion, g.CreatedAt, g.Remaining, g.Pending, g.Consumed, g.Expired, g.Voided, g.IsVoided)).ToList(),
                    _credits.PeriodsRecordedBySchedule.ToDictionary(),
                    _credits.EndedGrantTotals.ToDictionary())
                : new CustomerCredits();
            foreach (var schedule in _stored.Values)
            {
                restarted.TrackSchedule(schedule);
            }

            if (!fromSnapshot)
            {
                foreach (var entry in _entries)
                {
                    restarted.Replay(entry);
                }
            }

            foreach (var invoice in _credits.PendingInvoices)
            {
                restarted.TrackPendingInvoice(invoice);
            }

            Assert.Equal(_credits.Version, restarted.Version);
            Assert.Equal(_credits.PeriodsRecordedBySchedule.OrderBy(p => p.Key), restarted.PeriodsRecordedBySchedule.OrderBy(p => p.Key));
            _credits = restarted;
        }
    }

    /// <summary>The reference model: the rules written the plainest way, everything recorded eagerly at each instant.</summary>
    private sealed class Model
    {
        public List<ModelGrant> Grants { get; } = [];

        public List<ModelSchedule> Schedules { get; } = [];

        public Dictionary<string, (List<(ModelGrant Grant, decimal Amount)> Applications, InvoiceStatus Status)> Invoices { get; } = new(StringComparer.Ordinal);

        // The next instant after now at which something happens on its own: an expiry or a period's start.
        public DateTimeOffset? NextInstantAfter(DateTimeOffset now)
        {
            var instants = Grants.Where(g => g.ExpiresAt > now && g.Remaining > 0 && !g.IsVoided).Select(g => g.ExpiresAt!.Value)
                .Concat(Schedules.Select(s => s.NextStart).Where(n => n > now).Select(n => n!.Value));
            return instants.Any() ? instants.Min() : null;
        }

        public void AdvanceTo(DateTimeOffset now)
        {
            while (true)
            {
                var instant = Grants.Where(g => !g.IsVoided && g.Remaining > 0 && g.ExpiresAt <= now).Select(g => g.ExpiresAt)
                    .Concat(Schedules.Select(s => s.NextStart).Where(n => n <= now))
                    .Min();
                if (instant is not { } t)
                {
                    return;
                }

                foreach (var grant in Grants.Where(g => !g.IsVoided && g.Remaining > 0 && g.ExpiresAt == t))
                {
                    grant.Expired += grant.Remaining;
                    grant.Remaining = 0;
                }

                foreach (var model in Schedules.Where(s => s.NextStart == t))
                {
                    var schedule = model.Schedule;
                    var period = model.PeriodsGranted;
                    var end = schedule.PeriodStart(period + 1);
                    if (schedule.RolloverMax is { } cap && period > 0 && schedule.IsGranted(period))
                    {
                        var ending = Grants.Single(g => g.Id == $"{schedule.ScheduleId}:p{period - 1}");
                        if (!ending.IsVoided && ending.Expired > 0)
                        {
                            Add(new ModelGrant($"{schedule.ScheduleId}:r{period}", schedule.CreditType, Math.Min(ending.Expired, cap), schedule.Priority, schedule.Category, t, end, schedule.ScheduleId));
                        }
                    }

                    Add(new ModelGrant($"{schedule.ScheduleId}:p{period}", schedule.CreditType, schedule.Amount, schedule.Priority, schedule.Category, t, end, schedule.ScheduleId));
                    model.PeriodsGranted++;
                }
            }
        }

        public DecisionOutcome CreateSchedule(ScheduleRequest request, DateTimeOffset now)
        {
            if (request.StartsAt < now.AddMinutes(-5))
            {
                return DecisionOutcome.Rejected;
            }

            AdvanceTo(now);
            var schedule = new CreditSchedule(
                request.ScheduleId, request.CreditType, request.Amount, request.Reason, request.Priority ?? 50, request.Category, request.Every,
                request.StartsAt ?? now, request.Periods, request.RolloverMax);
            Schedules.Add(new ModelSchedule(schedule));
            AdvanceTo(now);
            return DecisionOutcome.Changed;
        }

        public DecisionOutcome Cancel(string scheduleId, DateTimeOffset now)
        {
            AdvanceTo(now);
            var model = Schedules.Single(s => s.Schedule.ScheduleId == scheduleId);
            if (model.Schedule.StatusAt(now) != ScheduleStatus.Active)
            {
                return DecisionOutcome.Rejected;
            }

            model.Schedule = model.Schedule with { CancelledAt = now };
            return DecisionOutcome.Changed;
        }

        public void Grant(GrantRequest request, DateTimeOffset now)
        {
            AdvanceTo(now);
            Add(new ModelGrant(request.GrantId, request.CreditType, request.Amount, request.Priority ?? 50, request.Category, now, request.ExpiresAt, null));
        }

        public (string, decimal)[] Apply(string invoiceId, List<InvoiceRequestLine> lines, DateTimeOffset now)
        {
            AdvanceTo(now);
            var applications = new List<(ModelGrant Grant, decimal Amount)>();
            foreach (var line in lines)
            {
                var due = line.Requested;
                var usable = Grants
                    .Where(g => g.Type == line.CreditType && g.UsableAt(now))
                    .OrderBy(g => g.Priority)
                    .ThenBy(g => g.ExpiresAt ?? DateTimeOffset.MaxValue)
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

            Invoices[invoiceId] = (applications, InvoiceStatus.Pending);
            return applications.Select(a => (a.Grant.Id, a.Amount)).ToArray();
        }

        public DecisionOutcome Pay(string invoiceId, DateTimeOffset now)
        {
            var (applications, status) = Invoices[invoiceId];
            if (status != InvoiceStatus.Pending)
            {
                return status == InvoiceStatus.Paid ? DecisionOutcome.AlreadyDone : DecisionOutcome.Rejected;
            }

            AdvanceTo(now);
            foreach (var (grant, amount) in applications)
            {
                grant.Pending -= amount;
                grant.Consumed += amount;
            }

            Invoices[invoiceId] = (applications, InvoiceStatus.Paid);
            return DecisionOutcome.Changed;
        }

        public DecisionOutcome VoidInvoice(string invoiceId, DateTimeOffset now)
        {
            var (applications, status) = Invoices[invoiceId];
            if (status != InvoiceStatus.Pending)
            {
                return status == InvoiceStatus.Voided ? DecisionOutcome.AlreadyDone : DecisionOutcome.Rejected;
            }

            AdvanceTo(now);
            foreach (var (grant, amount) in applications)
            {
                grant.Pending -= amount;
                if (grant.IsVoided)
                {
                    grant.Voided += amount;
                }
                else if (grant.ExpiresAt <= now)
                {
                    // Reinstated into an ended grant: expired at once, and never rolled over.
                    grant.Expired += amount;
                }
                else
                {
                    grant.Remaining += amount;
                }
            }

            Invoices[invoiceId] = (applications, InvoiceStatus.Voided);
            return DecisionOutcome.Changed;
        }

        public DecisionOutcome VoidGrant(string grantId, DateTimeOffset now)
        {
            AdvanceTo(now);
            var grant = Grants.Single(g => g.Id == grantId);
            if (grant.IsVoided || grant.ExpiresAt <= now)
            {
                return DecisionOutcome.Rejected;
            }

            grant.Voided += grant.Remaining;
            grant.Remaining = 0;
            grant.IsVoided = true;
            return DecisionOutcome.Changed;
        }

        public (decimal, decimal, decimal, decimal, decimal, decimal, decimal) Balance(CreditType type, DateTimeOffset now, int days)
        {
            var grants = Grants.Where(g => g.Type == type).ToList();
            var usable = grants.Where(g => g.UsableAt(now)).ToList();
            return (
                usable.Sum(g => g.Remaining),
                grants.Sum(g => g.Pending),
                usable.Where(g => g.ExpiresAt <= now.AddDays(days)).Sum(g => g.Remaining),
                grants.Sum(g => g.Amount),
                grants.Sum(g => g.Consumed),
                grants.Sum(g => g.Expired),
                grants.Sum(g => g.Voided));
        }

        private void Add(ModelGrant grant)
        {
            grant.Order = Grants.Count;
            grant.Remaining = grant.Amount;
            Grants.Add(grant);
        }
    }

    private sealed class ModelSchedule(CreditSchedule schedule)
    {
        public CreditSchedule Schedule { get; set; } = schedule;

        public long PeriodsGranted { get; set; }

        public DateTimeOffset? NextStart => Schedule.IsGranted(PeriodsGranted) ? Schedule.PeriodStart(PeriodsGranted) : null;
    }

    private sealed record ModelGrant(
        string Id, CreditType Type, decimal Amount, int Priority, GrantCategory Category, DateTimeOffset EffectiveAt, DateTimeOffset? ExpiresAt, string? ScheduleId)
    {
        public int Order { get; set; }

        public decimal Remaining { get; set; }

        public decimal Pending { get; set; }

        public decimal Consumed { get; set; }

        public decimal Expired { get; set; }

        public decimal Voided { get; set; }

        public bool IsVoided { get; set; }

        public bool UsableAt(DateTimeOffset now) =>
            !IsVoided && Remaining > 0 && EffectiveAt <= now && (ExpiresAt is null || now < ExpiresAt);
    }
}
