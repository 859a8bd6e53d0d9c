using CsCheck;

namespace CreditLedger.Domain.Tests;

/// <summary>
/// Random sequences of grants (some fulfilling the outstanding request, some naming one that is not), applies, pays,
/// voids, failed charges, rule changes, reminders and clock jumps past expiries: after every command at most one
/// request is outstanding, and a command records a request exactly when its last entry of the credit type leaves
/// available below the rule's threshold with none outstanding (or the outstanding one ended by the command itself),
/// for what brings available to the target, on that entry.
/// </summary>
public sealed class TopUpPropertyTests
{
    private static readonly Gen<(int Op, int A, int B, int Clock)> StepGen =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 1_000_000], Gen.Int[0, 1_000_000], Gen.Int[0, 5]);

    [Fact]
    public void RandomCommands_RequestExactlyWhenTheRuleSays_AndOneAtATime()
    {
        StepGen.Array[1, 40].Sample(steps =>
        {
            var credits = new CustomerCredits();
            var now = Credits.Start;
            var grants = new List<string>();
            var invoices = new List<string>();
            var counter = 0;
            credits.SetTopUpRule(Credits.Usd, new TopUpRule(20m, 60m));
            foreach (var (op, a, b, clock) in steps)
            {
                now = clock switch { 0 => now, 1 => now.AddMinutes(1), 2 => now.AddHours(1), 3 => now.AddDays(1), _ => now.AddSeconds(7) };
                var before = credits.OutstandingTopUp(Credits.Usd);
                var rule = credits.TopUpRules.GetValueOrDefault(Credits.Usd);
                var amount = (1 + (a % 4_000)) / 100m;
                Decision decision;
                switch (op)
                {
                    case 0 or 1:
                        var grantId = $"g{++counter}";
                        var request = new GrantRequest(grantId, Credits.Usd, amount, "Grant", null, GrantCategory.Paid, null, b % 2 == 0 ? now.AddHours(2) : null)
                        {
                            TopUpRequestId = op == 1 ? (b % 3 == 0 ? "tur_0" : before?.RequestId) : null,
                        };
                        decision = credits.PlanGrant(request, Credits.Api, now);
                        if (op == 1 && before is not null && request.TopUpRequestId == before.RequestId)
                        {
                            Assert.Equal(DecisionOutcome.Changed, decision.Outcome);
                            Assert.Equal(before.RequestId, decision.EndedTopUp!.RequestId);
                        }
                        else if (request.TopUpRequestId is not null)
                        {
                            Assert.Equal(Rejection.TopUpRequestNotOutstanding, decision.Rejection);
                        }

                        if (decision.Outcome == DecisionOutcome.Changed)
                        {
                            grants.Add(grantId);
                        }

                        break;
                    case 2 or 3:
                        var invoiceId = $"inv{++counter}";
                        decision = credits.PlanApply(invoiceId, [new InvoiceRequestLine(Credits.Usd, amount)], Credits.Api, now);
                        invoices.Add(invoiceId);
                        break;
                    case 4 when invoices.Count > 0:
                        decision = b % 2 == 0
                            ? credits.PlanPay(invoices[a % invoices.Count], Credits.Api, now)
                            : credits.PlanVoidInvoice(invoices[a % invoices.Count], Credits.Api, now);
                        break;
                    case 5 when grants.Count > 0:
                        decision = credits.PlanVoidGrant(grants[a % grants.Count], "Void", Credits.Api, now);
                        break;
                    case 6 when before is not null:
                        decision = credits.PlanFailTopUp(Credits.Usd, before.RequestId, "Card declined", now);
                        Assert.Equal(before.RequestId, decision.EndedTopUp!.RequestId);
                        Assert.Empty(decision.Entries);
                        break;
                    case 7:
                        credits.SetTopUpRule(Credits.Usd, b % 3 == 0 ? null : new TopUpRule(a % 50, (a % 50) + 1 + (b % 100)));
                        Assert.Equal(before, credits.OutstandingTopUp(Credits.Usd));
                        continue;
                    default:
                        decision = credits.PlanExpiries(Provenance.Reminder, now);
                        break;
                }

                if (decision.Outcome != DecisionOutcome.Changed)
                {
                    continue;
                }

                // What the rule says, from the state before and the command's own entries.
                var last = decision.Entries.LastOrDefault(e => e.CreditType == Credits.Usd);
                var armed = before is null || decision.EndedTopUp?.RequestId == before.RequestId;
                var expected = rule is not null && last is not null && armed && last.AvailableAfter < rule.Threshold
                    ? new TopUpRequest(TopUpRequest.IdFor(last.Version), Credits.Usd, rule.TargetBalance - last.AvailableAfter, last.AvailableAfter, rule.Threshold, last.Version, last.OccurredAt)
                    : null;
                Assert.Equal(expected is null ? [] : [expected], decision.RequestedTopUps.ToList());
                Assert.Equal(expected, last?.TopUp);
                Assert.Equal(expected is not null, last is not null && last.Events.HasFlag(EntryEvents.TopUpRequested));
                Assert.All(decision.Entries.Where(e => e != last), e => Assert.Null(e.TopUp));

                credits.Commit(decision);
                var outstanding = credits.OutstandingTopUp(Credits.Usd);
                Assert.Equal(expected ?? (decision.EndedTopUp is null ? before : null), outstanding);
            }
        }, iter: 1_000);
    }
}
