using System.Reflection;
using CreditLedger.Contracts;
using CreditLedger.Contracts.Customers;

namespace CreditLedger.Grains.Tests;

/// <summary>
/// Style rules that matter for rolling upgrades, checked by reflection over the contracts assembly: every grain
/// interface, grain method and wire type carries a stable [Alias], and every command status maps to HTTP.
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

    [Fact]
    public void EveryCommandStatus_HasHttpStatusAndErrorCode()
    {
        foreach (var status in Enum.GetValues<CommandStatus>())
        {
            var http = CommandStatusCodes.HttpStatus(status);
            var code = CommandStatusCodes.ErrorCode(status);
            Assert.InRange(http, 200, 499);
            Assert.Equal(http < 300, code is null);
        }
    }
}
