using System.Data.Common;
using CreditLedger.Contracts;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Grains.Customers;
using CreditLedger.Storage.Ledger;
using CreditLedger.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace CreditLedger.Grains;

/// <summary>
/// One customer's credits as a virtual actor: activation and load, the reminder of what is due (expiries, schedule
/// periods), snapshots, and delegation of
/// every call to the customer's <see cref="CustomerCommands"/>, which plans with the domain, makes changes durable
/// through the command pipeline (Pipeline/CommandPipeline.cs) and only then answers. The grain is reentrant so that
/// commands queued behind a commit in flight can share the next one; the pipeline serialises them.
/// </summary>
[Reentrant]
public sealed partial class CustomerCreditGrain : Grain, ICustomerCreditGrain, IRemindable, ICustomerActivation
{
    /// <summary>The grain storage state name of customer snapshots.</summary>
    public const string StateName = "customer-credits";

    /// <summary>
    /// The name of the reminder due at the customer's next expiry or schedule period start (named when it served
    /// expiries alone; reminders registered then keep firing under it).
    /// </summary>
    public const string ExpiryReminderName = "expiry";

    private readonly IPersistentState<CustomerCreditsSnapshot> _snapshot;
    private readonly TimeProvider _time;
    private readonly CustomerCreditOptions _options;
    private readonly EngineMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CustomerId _customerId;
    private readonly CustomerCommands _commands;
    private DateTimeOffset? _reminderDueAt;

    public CustomerCreditGrain(
        [PersistentState(StateName, StorageNames.Ledger)] IPersistentState<CustomerCreditsSnapshot> snapshot,
        ILedgerWriter writer,
        LedgerQueries queries,
        [FromKeyedServices(LedgerClock.ServiceKey)] TimeProvider time,
        IGrantIdGenerator grantIds,
        IOptions<CustomerCreditOptions> options,
        EngineMetrics metrics,
        ILogger<CustomerCreditGrain> logger)
    {
        _snapshot = snapshot;
        _time = time;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _customerId = GrainKeys.CustomerOf(this.GetPrimaryKeyString());
        _commands = new CustomerCommands(_customerId, writer, queries, time, grantIds, _options.MaxGroupSize, this, logger);
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken) => _commands.ActivateAsync(cancellationToken);

    /// <inheritdoc />
    public Task<CustomerResult> PutCustomerAsync(CustomerDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return _commands.PutCustomerAsync(details);
    }

    /// <inheritdoc />
    public Task<CustomerResult> GetCustomerAsync(int expiringWithinDays) => _commands.GetCustomerAsync(expiringWithinDays);

    /// <inheritdoc />
    public Task<GrantResult> GrantAsync(GrantCommand command, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        return _commands.GrantAsync(command, context);
    }

    /// <inheritdoc />
    public Task<GrantResult> VoidGrantAsync(string grantId, string reason, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(grantId);
        ArgumentNullException.ThrowIfNull(context);
        return _commands.VoidGrantAsync(grantId, reason, context);
    }

    /// <inheritdoc />
    public Task<InvoiceResult> ApplyAsync(string invoiceId, IReadOnlyList<InvoiceLineRequest> lines, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(context);
        return _commands.ApplyAsync(invoiceId, lines, context);
    }

    /// <inheritdoc />
    public Task<InvoiceResult> PayInvoiceAsync(string invoiceId, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(context);
        return _commands.CloseInvoiceAsync(invoiceId, context, CommandPlanner.PayOperation);
    }

    /// <inheritdoc />
    public Task<InvoiceResult> VoidInvoiceAsync(string invoiceId, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(context);
        return _commands.CloseInvoiceAsync(invoiceId, context, CommandPlanner.VoidInvoiceOperation);
    }

    /// <inheritdoc />
    public Task<InvoiceResult> GetInvoiceAsync(string invoiceId)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        return _commands.GetInvoiceAsync(invoiceId);
    }

    /// <inheritdoc />
    public Task<GrantResult> GetGrantAsync(string grantId)
    {
        ArgumentNullException.ThrowIfNull(grantId);
        return _commands.GetGrantAsync(grantId);
    }

    /// <inheritdoc />
    public Task<GrantListResult> ListGrantsAsync(GrantStatus? status, long? beforeVersion, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, LedgerLimits.MaxPageSize);
        return _commands.ListGrantsAsync(status, beforeVersion, limit);
    }

    /// <inheritdoc />
    public Task<BalancesResult> GetBalancesAsync(int expiringWithinDays) => _commands.GetBalancesAsync(expiringWithinDays);

    /// <inheritdoc />
    public Task<HistoryResult> GetHistoryAsync(CreditType? creditType, long? beforeVersion, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, LedgerLimits.MaxPageSize);
        return _commands.GetHistoryAsync(creditType, beforeVersion, limit);
    }

    /// <inheritdoc />
    public Task<CreditAlertResult> SetCreditAlertAsync(CreditType creditType, decimal threshold) =>
        _commands.SetCreditAlertAsync(creditType, threshold);

    /// <inheritdoc />
    public Task<ScheduleResult> CreateScheduleAsync(ScheduleCommand command, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        return _commands.CreateScheduleAsync(command, context);
    }

    /// <inheritdoc />
    public Task<ScheduleResult> CancelScheduleAsync(string scheduleId, string reason, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(scheduleId);
        ArgumentNullException.ThrowIfNull(context);
        return _commands.CancelScheduleAsync(scheduleId, reason, context);
    }

    /// <inheritdoc />
    public Task<ScheduleResult> GetScheduleAsync(string scheduleId)
    {
        ArgumentNullException.ThrowIfNull(scheduleId);
        return _commands.GetScheduleAsync(scheduleId);
    }

    /// <inheritdoc />
    public Task<ScheduleListResult> ListSchedulesAsync(string? afterScheduleId, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, LedgerLimits.MaxPageSize);
        return _commands.ListSchedulesAsync(afterScheduleId, limit);
    }

    /// <inheritdoc />
    public Task<TopUpRuleResult> PutTopUpRuleAsync(CreditType creditType, decimal threshold, decimal targetBalance) =>
        _commands.PutTopUpRuleAsync(creditType, threshold, targetBalance);

    /// <inheritdoc />
    public Task<TopUpRuleResult> GetTopUpRuleAsync(CreditType creditType) => _commands.GetTopUpRuleAsync(creditType);

    /// <inheritdoc />
    public Task<TopUpRuleResult> DeleteTopUpRuleAsync(CreditType creditType) => _commands.DeleteTopUpRuleAsync(creditType);

    /// <inheritdoc />
    public Task<TopUpRequestResult> FailTopUpRequestAsync(CreditType creditType, string requestId, string reason, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(context);
        return _commands.FailTopUpRequestAsync(creditType, requestId, reason, context);
    }

    /// <inheritdoc />
    public Task<TopUpRequestResult> GetTopUpRequestAsync(CreditType creditType, string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        return _commands.GetTopUpRequestAsync(creditType, requestId);
    }

    /// <inheritdoc />
    public Task<ActivationInfo> GetActivationInfoAsync() => _commands.GetActivationInfoAsync();

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminderName)
        {
            return Task.CompletedTask;
        }

        _metrics.ReminderFired(reminderName);
        return _commands.RecordDueAsync();
    }

    CustomerCreditsSnapshot ICustomerActivation.SavedSnapshot => _snapshot.State;

    void ICustomerActivation.Deactivate() => DeactivateOnIdle();

    async Task ICustomerActivation.AfterChangeAsync(CustomerCredits credits, bool unregisterWhenIdle)
    {
        if (credits.Version - _snapshot.State.Version >= _options.SnapshotEveryEntries)
        {
            try
            {
                _snapshot.State = CustomerCreditsSnapshot.Of(credits);
                await _snapshot.WriteStateAsync();
            }
            catch (Orleans.Storage.InconsistentStateException e)
            {
                // Another activation wrote the snapshot: this one is not the only writer any more.
                LogSnapshotConflict(_logger, e, _customerId.Value);
                DeactivateOnIdle();
            }
            catch (Exception e) when (e is DbException or TimeoutException)
            {
                LogSnapshotFailed(_logger, e, _customerId.Value);
            }
        }

        if (unregisterWhenIdle)
        {
            // The reminder just fired: whatever was registered, it now follows the state.
            _reminderDueAt = null;
        }

        var next = credits.NextDueAt();
        try
        {
            if (next is { } due && due != _reminderDueAt)
            {
                var wait = due - _time.GetUtcNow();
                await this.RegisterOrUpdateReminder(ExpiryReminderName, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _options.ExpiryReminderRetryPeriod);
                _reminderDueAt = due;
            }
            else if (next is null && (unregisterWhenIdle || _reminderDueAt is not null))
            {
                if (await this.GetReminder(ExpiryReminderName) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                _reminderDueAt = null;
            }
        }
        catch (Exception e) when (e is DbException or TimeoutException or OrleansException)
        {
            LogReminderFailed(_logger, e, _customerId.Value);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of customer {CustomerId} was written by another activation; deactivating")]
    private static partial void LogSnapshotConflict(ILogger logger, Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of customer {CustomerId} could not be written; the next one will try again")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder of customer {CustomerId} could not be updated; commands still record expiries and schedule periods when due")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string customerId);
}
