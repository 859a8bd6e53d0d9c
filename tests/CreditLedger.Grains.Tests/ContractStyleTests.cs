using System.Reflection;
using CreditLedger.Contracts;
using CreditLedger.Contracts.Customers;

namespace CreditLedger.Grains.Tests;

/// <summary>
/// Style rules that matter for rolling upgrades, checked by reflection over the contracts assembly: every grain
/// interface, grain method and wire type carries a stable [Alias], and command statuses keep their numbers.
/// </summary>
public sealed class ContractStyleTests
{
    private static readonly Assembly Contracts = typeof(GrainKeys).Assembly;

    public static TheoryData<string> GrainInterfaces() => [.. GrainInterfaceNames()];

    [Fact]
    public void Contracts_HaveGrainInterfaces()
    {
        Assert.Contains(typeof(ICustomerCreditGrain).FullName!, GrainInterfaceNames());
    }

    [Theory]
    [MemberData(nameof(GrainInterfaces))]
    public void GrainInterface_AndEveryMethod_HaveAlias(string interfaceName)
    {
        var type = Contracts.GetType(interfaceName)!;

        Assert.NotNull(type.GetCustomAttribute<AliasAttribute>());
        Assert.All(type.GetMethods(), m => Assert.True(m.GetCustomAttribute<AliasAttribute>() is not null, $"{type.Name}.{m.Name} has no [Alias]."));
    }

    [Fact]
    public void SerializableContractTypes_HaveAlias()
    {
        var serializable = Contracts.GetTypes().Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null).ToList();

        Assert.NotEmpty(serializable);
        Assert.All(serializable, t => Assert.True(t.GetCustomAttribute<AliasAttribute>() is not null, $"{t.Name} has no [Alias]."));
    }

    private static List<string> GrainInterfaceNames() =>
        Contracts.GetTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t)).Select(t => t.FullName!).ToList();

    // The numbers cross between processes and are stored in remembered answers: a change here breaks rolling
    // upgrades and the replay of answers already stored.
    [Fact]
    public void CommandStatus_Numbers_AreFixed()
    {
        var pinned = new Dictionary<string, int>
        {
            ["Ok"] = 0,
            ["Created"] = 1,
            ["InvalidRequest"] = 2,
            ["CustomerNotFound"] = 3,
            ["GrantNotFound"] = 4,
            ["InvoiceNotFound"] = 5,
            ["IdempotencyKeyReused"] = 6,
            ["InvoiceAlreadyApplied"] = 7,
            ["InvoiceStateConflict"] = 8,
            ["GrantNotActive"] = 9,
            ["GrantLimitReached"] = 10,
            ["PendingInvoiceLimitReached"] = 11,
            ["ScheduleNotFound"] = 12,
            ["ScheduleNotActive"] = 13,
            ["ScheduleLimitReached"] = 14,
            ["TopUpRequestNotOutstanding"] = 15,
            ["TopUpRuleNotFound"] = 16,
            ["TopUpRequestNotFound"] = 17,
        };

        Assert.Equal(pinned, Enum.GetValues<CommandStatus>().ToDictionary(s => s.ToString(), s => (int)s));
    }

    [Fact]
    public void EveryRejection_HasTheNumberOfTheCommandStatusOfItsName()
    {
        foreach (var rejection in Enum.GetValues<CreditLedger.Domain.Rejection>())
        {
            Assert.True(Enum.TryParse<CommandStatus>(rejection.ToString(), out var status), $"No command status named {rejection}.");
            Assert.Equal((int)status, (int)rejection);
        }
    }
}
