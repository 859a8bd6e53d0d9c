using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CreditLedger.Grains.Tests;

/// <summary>
/// Credit types, grant categories and grant statuses cross the grain interface parsed (validated once, at the edge)
/// and on the wire as their codes and names, in the very bytes the previous version wrote for its string fields (a
/// field added since is skipped by the previous version): a gateway and a silo one version apart understand each
/// other during a rolling upgrade, in both directions.
/// </summary>
public sealed class GrainInterfaceWireTests : IDisposable
{
    private static readonly DateTimeOffset Expiry = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(GrantCommand).Assembly).AddAssembly(typeof(GrainInterfaceWireTests).Assembly))
        .BuildServiceProvider();

    private Serializer Serializer => _services.GetRequiredService<Serializer>();

    [Fact]
    public void GrantCommand_RoundTrips_WithItsParsedCreditType()
    {
        var command = new GrantCommand(CreditType.Parse("api_calls"), 10_000m, "Package", 10, GrantCategory.Paid, null, Expiry);

        var received = Serializer.Deserialize<GrantCommand>(Serializer.SerializeToArray(command))!;

        Assert.Equal(command, received);
        Assert.Equal((CreditKind.Units, LedgerLimits.UnitScale), (received.CreditType.Kind, received.CreditType.Scale));
    }

    // The top-up request id is a field the previous version did not have: it skips it, and reads the rest as it wrote it.
    [Fact]
    public void GrantCommand_ThePreviousVersionReadsWhatItWrites_AndItReadsWhatThePreviousVersionWrote()
    {
        var command = new GrantCommand(CreditType.Parse("JPY"), 500m, "Welcome credit", null, GrantCategory.Promotional, null, Expiry);
        var previous = new PreviousGrantCommand("JPY", 500m, "Welcome credit", null, "promotional", null, Expiry);

        var written = Serializer.SerializeToArray(command);

        Assert.Equal(previous, Serializer.Deserialize<PreviousGrantCommand>(written));
        Assert.Equal(previous, Serializer.Deserialize<PreviousGrantCommand>(Serializer.SerializeToArray(command with { TopUpRequestId = "tur_7" })));
        var read = Serializer.Deserialize<GrantCommand>(Serializer.SerializeToArray(previous))!;
        Assert.Equal(command, read);
        Assert.Equal(0, read.CreditType.Scale);
    }

    [Fact]
    public void InvoiceLines_AreWrittenAsThePreviousVersionWroteThem()
    {
        var lines = new List<InvoiceLineRequest> { new(CreditType.Parse("USD"), 12.5m), new(CreditType.Parse("api_calls"), 3m) };
        var previous = new List<PreviousInvoiceLineRequest> { new("USD", 12.5m), new("api_calls", 3m) };

        Assert.Equal(Serializer.SerializeToArray(previous), Serializer.SerializeToArray(lines));
        Assert.Equal(lines, Serializer.Deserialize<List<InvoiceLineRequest>>(Serializer.SerializeToArray(previous)));
    }

    [Fact]
    public void GrantStatusFilter_IsWrittenAsThePreviousVersionWroteIt()
    {
        foreach (var status in Enum.GetValues<GrantStatus>())
        {
            var previous = new PreviousStatusFilter(WireNames.Of(status));

            Assert.Equal(Serializer.SerializeToArray(previous), Serializer.SerializeToArray(new StatusFilter(status)));
            Assert.Equal(status, Serializer.Deserialize<StatusFilter>(Serializer.SerializeToArray(previous))!.Status);
        }

        Assert.Equal(Serializer.SerializeToArray(new PreviousStatusFilter(null)), Serializer.SerializeToArray(new StatusFilter(null)));
    }

    public void Dispose() => _services.Dispose();
}

/// <summary>GrantCommand as the previous version declared it: the credit type as a string.</summary>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.Tests.PreviousGrantCommand")]
public sealed record PreviousGrantCommand(
    [property: Id(0)] string CreditType,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Reason,
    [property: Id(3)] int? Priority,
    [property: Id(4)] string Category,
    [property: Id(5)] DateTimeOffset? EffectiveAt,
    [property: Id(6)] DateTimeOffset? ExpiresAt);

/// <summary>InvoiceLineRequest as the previous version declared it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.Tests.PreviousInvoiceLineRequest")]
public sealed record PreviousInvoiceLineRequest([property: Id(0)] string CreditType, [property: Id(1)] decimal Requested);

/// <summary>The grant list's status argument as this version passes it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.Tests.StatusFilter")]
public sealed record StatusFilter([property: Id(0)] GrantStatus? Status);

/// <summary>The grant list's status argument as the previous version passed it: a name.</summary>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.Tests.PreviousStatusFilter")]
public sealed record PreviousStatusFilter([property: Id(0)] string? Status);
