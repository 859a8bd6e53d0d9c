using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;

namespace CreditLedger.Grains.Customers;

/// <summary>The reads: they run between turns, once memory holds nothing that is not durable.</summary>
internal sealed partial class CustomerCommands
{
    /// <summary>The customer with its balances.</summary>
    public async Task<CustomerResult> GetCustomerAsync(int expiringWithinDays) =>
        await CustomerExistsAsync()
            ? new CustomerResult(CommandStatus.Ok, _credits.Version, CustomerViews.Customer(_customer!), Balances(expiringWithinDays))
            : new CustomerResult(CommandStatus.CustomerNotFound, _credits.Version, null, null);

    /// <summary>An invoice credits were applied to, from memory while unpaid, else from the ledger.</summary>
    public async Task<InvoiceResult> GetInvoiceAsync(string invoiceId)
    {
        if (!await CustomerExistsAsync())
        {
            return new InvoiceResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        var invoice = _credits.FindPendingInvoice(invoiceId) ?? await ReadAsync(() => _queries.FindInvoiceAsync(_customerId, invoiceId));
        return invoice is null
            ? new InvoiceResult(CommandStatus.InvoiceNotFound, _credits.Version, null, new CommandError($"No credits were applied to invoice {invoiceId}."))
            : new InvoiceResult(CommandStatus.Ok, _credits.Version, CustomerViews.Invoice(invoice), null);
    }

    /// <summary>One grant, with its reason from the ledger.</summary>
    public async Task<GrantResult> GetGrantAsync(string grantId)
    {
        if (!await CustomerExistsAsync())
        {
            return new GrantResult(CommandStatus.CustomerNotFound, _credits.Version, null, null, CustomerNotFound());
        }

        // A schedule's period that has started is shown whether or not its entry is written yet; a grant that has ended
        // is no longer held, and is rebuilt from the ledger.
        var at = _credits.EvaluationInstant(Now());
        if (_credits.SeenAt(at).FindGrant(grantId) is { } grant)
        {
            var reasons = await ReadAsync(() => _queries.ReadGrantReasonsAsync(_customerId, [grantId]));
            return new GrantResult(CommandStatus.Ok, _credits.Version, CustomerViews.Grant(grant, reasons.GetValueOrDefault(grantId, ReasonOf(grant)), at), null, null);
        }

        var ended = await ReadAsync(() => _queries.ReadEndedGrantsAsync(_customerId, [grantId]));
        return ended.Count == 1
            ? new GrantResult(CommandStatus.Ok, _credits.Version, CustomerViews.Grant(ended[0].Grant, ended[0].Reason, at), null, null)
            : new GrantResult(CommandStatus.GrantNotFound, _credits.Version, null, null, new CommandError($"The customer has no grant {grantId}."));
    }

    /// <summary>A page of grants, newest first, optionally of one status.</summary>
    public async Task<GrantListResult> ListGrantsAsync(GrantStatus? status, long? beforeVersion, int limit)
    {
        if (!await CustomerExistsAsync())
        {
            return new GrantListResult(CommandStatus.CustomerNotFound, _credits.Version, [], null);
        }

        var at = _credits.EvaluationInstant(Now());
        var seen = _credits.SeenAt(at);
        if (status is GrantStatus.Scheduled or GrantStatus.Active or GrantStatus.Depleted)
        {
            // Only grants that can still change have these statuses: memory holds them all.
            var (page, nextBefore) = seen.GrantPage(status, beforeVersion, limit, at);
            var reasons = await ReadAsync(() => _queries.ReadGrantReasonsAsync(_customerId, page.Select(g => g.GrantId).ToList()));
            var views = page.Select(g => CustomerViews.Grant(g, reasons.GetValueOrDefault(g.GrantId, ReasonOf(g)), at)).ToList();
            return new GrantListResult(CommandStatus.Ok, _credits.Version, views, nextBefore);
        }

        return await ListWithEndedGrantsAsync(seen, status, beforeVersion, limit, at);
    }

    // A page of grants that may include ended ones: those memory holds and those the ledger has that it no longer
    // holds, merged newest first.
    private async Task<GrantListResult> ListWithEndedGrantsAsync(CustomerCredits seen, GrantStatus? status, long? beforeVersion, int limit, DateTimeOffset at)
    {
        var live = seen.GrantPage(status, beforeVersion, limit + 1, at).Page;
        var ended = new List<(long Version, string GrantId)>();
        var before = beforeVersion;
        bool? voided = status switch { GrantStatus.Voided => true, GrantStatus.Expired => false, _ => null };
        while (ended.Count <= limit)
        {
            var rows = await ReadAsync(() => _queries.ReadGrantedAsync(_customerId, before, voided, limit + 1));
            ended.AddRange(rows.Where(row => seen.FindGrant(row.GrantId) is null));
            if (rows.Count <= limit)
            {
                break;
            }

            before = rows[^1].Version;
        }

        var merged = live.Select(g => (Version: g.CreatedVersion, Live: (Grant?)g, Ended: (string?)null))
            .Concat(ended.Select(row => (row.Version, Live: (Grant?)null, Ended: (string?)row.GrantId)))
            .OrderByDescending(item => item.Version)
            .Take(limit + 1)
            .ToList();
        var hasMore = merged.Count > limit;
        var page = merged.Take(limit).ToList();
        var liveIds = page.Where(item => item.Live is not null).Select(item => item.Live!.GrantId).ToList();
        var endedIds = page.Where(item => item.Ended is not null).Select(item => item.Ended!).ToList();
        var reasons = await ReadAsync(() => _queries.ReadGrantReasonsAsync(_customerId, liveIds));
        var rebuilt = (await ReadAsync(() => _queries.ReadEndedGrantsAsync(_customerId, endedIds))).ToDictionary(e => e.Grant.GrantId, StringComparer.Ordinal);
        var views = new List<GrantView>(page.Count);
        foreach (var item in page)
        {
            if (item.Live is { } grant)
            {
                views.Add(CustomerViews.Grant(grant, reasons.GetValueOrDefault(grant.GrantId, ReasonOf(grant)), at));
            }
            else if (rebuilt.TryGetValue(item.Ended!, out var endedGrant))
            {
                views.Add(CustomerViews.Grant(endedGrant.Grant, endedGrant.Reason, at));
            }
        }

        return new GrantListResult(CommandStatus.Ok, _credits.Version, views, hasMore ? page[^1].Version : null);
    }

    /// <summary>One credit schedule.</summary>
    public async Task<ScheduleResult> GetScheduleAsync(string scheduleId)
    {
        if (!await CustomerExistsAsync())
        {
            return new ScheduleResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        var at = _credits.EvaluationInstant(Now());
        return _credits.FindSchedule(scheduleId) is { } schedule
            ? new ScheduleResult(CommandStatus.Ok, _credits.Version, CustomerViews.Schedule(schedule, at), null)
            : new ScheduleResult(CommandStatus.ScheduleNotFound, _credits.Version, null, new CommandError($"The customer has no credit schedule {scheduleId}."));
    }

    /// <summary>A page of credit schedules in creation order, after the one with id <paramref name="afterScheduleId"/> (the previous page's cursor).</summary>
    public async Task<ScheduleListResult> ListSchedulesAsync(string? afterScheduleId, int limit)
    {
        if (!await CustomerExistsAsync())
        {
            return new ScheduleListResult(CommandStatus.CustomerNotFound, _credits.Version, [], null);
        }

        var at = _credits.EvaluationInstant(Now());
        var schedules = _credits.Schedules;
        if (afterScheduleId is not null)
        {
            if (_credits.FindSchedule(afterScheduleId) is null)
            {
                return new ScheduleListResult(
                    CommandStatus.InvalidRequest, _credits.Version, [], null, new CommandError("Not a cursor this list returned: it names no schedule of the customer.", "cursor"));
            }

            schedules = schedules.SkipWhile(s => s.ScheduleId != afterScheduleId).Skip(1);
        }

        var page = schedules.Take(limit + 1).ToList();
        var hasMore = page.Count > limit;
        var views = page.Take(limit).Select(s => CustomerViews.Schedule(s, at)).ToList();
        return new ScheduleListResult(CommandStatus.Ok, _credits.Version, views, hasMore ? views[^1].ScheduleId : null);
    }

    /// <summary>Balances per credit type now.</summary>
    public async Task<BalancesResult> GetBalancesAsync(int expiringWithinDays) =>
        await CustomerExistsAsync()
            ? Balances(expiringWithinDays)
            : new BalancesResult(CommandStatus.CustomerNotFound, _credits.Version, Now(), expiringWithinDays, []);

    /// <summary>A page of ledger entries, newest first, from the ledger.</summary>
    public async Task<HistoryResult> GetHistoryAsync(CreditType? creditType, long? beforeVersion, int limit)
    {
        if (!await CustomerExistsAsync())
        {
            return new HistoryResult(CommandStatus.CustomerNotFound, _credits.Version, [], null);
        }

        var entries = await ReadAsync(() => _queries.ReadHistoryAsync(_customerId, creditType?.Code, beforeVersion, limit + 1));
        var hasMore = entries.Count > limit;
        var page = entries.Take(limit).Select(e => CustomerViews.Entry(_customerId, e)).ToList();
        return new HistoryResult(CommandStatus.Ok, _credits.Version, page, hasMore ? page[^1].Version : null);
    }

    /// <summary>How this activation loaded its state.</summary>
    public async Task<ActivationInfo> GetActivationInfoAsync()
    {
        await _pipeline.SettledAsync();
        return new ActivationInfo(_loadedSnapshotVersion, _entriesReplayed, _credits.Version, _credits.NextDueAt(), _credits.GrantCount);
    }

    private BalancesResult Balances(int expiringWithinDays)
    {
        var at = _credits.EvaluationInstant(Now());
        return new BalancesResult(
            CommandStatus.Ok, _credits.Version, at, expiringWithinDays, _credits.BalancesAt(at, expiringWithinDays).Select(CustomerViews.Balance).ToList());
    }

    // The reason of a schedule's grant whose entry is not written yet (seen by a read): its schedule's.
    private string ReasonOf(Grant grant) =>
        grant.Terms.ScheduleId is { } scheduleId && _credits.FindSchedule(scheduleId) is { } schedule
            ? grant.Terms.RolloverOf is null ? schedule.Reason : schedule.RolloverReason
            : string.Empty;
}
