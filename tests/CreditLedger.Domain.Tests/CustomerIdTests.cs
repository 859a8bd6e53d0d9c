namespace CreditLedger.Domain.Tests;

/// <summary>Customer ids: the id syntax of the API, its length limit at -1/0/+1, and ordinal identity.</summary>
public sealed class CustomerIdTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("20235")]
    [InlineData("A-Z.a_z:0-9")]
    [InlineData("x")]
    public void TryParse_ValidId_Succeeds(string text)
    {
        Assert.True(CustomerId.TryParse(text, out var id, out var error));
        Assert.Null(error);
        Assert.Equal(text, id.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/")]
    [InlineData("plus+")]
    [InlineData("émile")]
    [InlineData("semi;colon")]
    public void TryParse_InvalidId_FailsWithReason(string? text)
    {
        Assert.False(CustomerId.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData(LedgerLimits.MaxIdLength - 1, true)]
    [InlineData(LedgerLimits.MaxIdLength, true)]
    [InlineData(LedgerLimits.MaxIdLength + 1, false)]
    public void TryParse_LengthAtTheLimit_AcceptsUpToTheLimit(int length, bool accepted)
    {
        Assert.Equal(accepted, CustomerId.TryParse(new string('a', length), out _, out _));
    }

    [Fact]
    public void Equality_LeadingZero_IsADifferentCustomer()
    {
        Assert.NotEqual(CustomerId.Parse("20235"), CustomerId.Parse("020235"));
        Assert.Equal(CustomerId.Parse("20235"), CustomerId.Parse("20235"));
    }

    [Fact]
    public void Parse_InvalidId_Throws()
    {
        Assert.Throws<ArgumentException>(() => CustomerId.Parse("not valid"));
    }
}
