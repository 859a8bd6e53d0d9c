using System.Collections.Concurrent;
using System.Threading.Channels;
using CreditLedger.Contracts;
using Orleans.Placement;

namespace CreditLedger.Storage.Tests.Grains;

/// <summary>A grain that keeps one string in grain storage.</summary>
[Alias("CreditLedger.Storage.Tests.IStateProbeGrain")]
public interface IStateProbeGrain : IGrainWithStringKey
{
    [Alias("Set")]
    Task SetAsync(string value);

    [Alias("Get")]
    Task<string?> GetAsync();

    /// <summary>Deactivates after this call, so the next call reads from storage.</summary>
    [Alias("Deactivate")]
    Task DeactivateAsync();
}

[Alias("CreditLedger.Storage.Tests.IOtherStateProbeGrain")]
public interface IOtherStateProbeGrain : IStateProbeGrain;

[GenerateSerializer]
[Alias("CreditLedger.Storage.Tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

public abstract class StateProbeGrainBase(IPersistentState<ProbeState> state) : Grain
{
    public async Task SetAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<string?> GetAsync() => Task.FromResult(state.State.Value);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public sealed class StateProbeGrain([PersistentState("state-probe", StorageNames.Ledger)] IPersistentState<ProbeState> state)
    : StateProbeGrainBase(state), IStateProbeGrain;

public sealed class OtherStateProbeGrain([PersistentState("other-state-probe", StorageNames.Ledger)] IPersistentState<ProbeState> state)
    : StateProbeGrainBase(state), IOtherStateProbeGrain;

/// <summary>A grain that says which silo it runs on.</summary>
[Alias("CreditLedger.Storage.Tests.ISiloProbeGrain")]
public interface ISiloProbeGrain : IGrainWithIntegerKey
{
    [Alias("Where")]
    Task<string> WhereAsync();
}

[RandomPlacement]
public sealed class SiloProbeGrain(ILocalSiloDetails silo) : Grain, ISiloProbeGrain
{
    public Task<string> WhereAsync() => Task.FromResult(silo.SiloAddress.ToParsableString());
}

/// <summary>A grain with one reminder whose ticks the test can wait for.</summary>
[Alias("CreditLedger.Storage.Tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Start")]
    Task StartAsync(TimeSpan period);

    [Alias("Stop")]
    Task StopAsync();
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    public Task StartAsync(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ReminderTicks.Record(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }
}

/// <summary>Where reminder ticks of in-process silos are announced to the test that waits for them.</summary>
public static class ReminderTicks
{
    private static readonly ConcurrentDictionary<string, Channel<DateTimeOffset>> Channels = new();

    public static void Record(string key) => For(key).Writer.TryWrite(DateTimeOffset.UtcNow);

    /// <summary>Forgets the ticks recorded so far for <paramref name="key"/>.</summary>
    public static void Reset(string key)
    {
        while (For(key).Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Waits for the next tick of <paramref name="key"/>'s reminder.</summary>
    /// <exception cref="TimeoutException">No tick came within <paramref name="timeout"/>.</exception>
    public static async Task NextAsync(string key, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await For(key).Reader.ReadAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The reminder of grain '{key}' did not fire within {timeout.TotalSeconds:0} s.");
        }
    }

    private static Channel<DateTimeOffset> For(string key) =>
        Channels.GetOrAdd(key, _ => Channel.CreateUnbounded<DateTimeOffset>());
}
