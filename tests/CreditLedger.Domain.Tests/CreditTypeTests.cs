namespace CreditLedger.Domain.Tests;

/// <summary>Credit types: ISO 4217 currencies with their minor units, and unit keys with six decimals.</summary>
public sealed class CreditTypeTests
{
    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KWD", 3)]
    [InlineData("CLF", 4)]
    public void TryCurrency_KnownCode_HasTheCurrencysMinorUnits(string code, int scale)
    {
        Assert.True(CreditType.TryCurrency(code, out var creditType, out _));
        Assert.Equal(CreditKind.Monetary, creditType.Kind);
        Assert.Equal(scale, creditType.Scale);
        Assert.Equal(code, creditType.Code);
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("ABC")]
    [InlineData("XAU")]
    [InlineData("US")]
    [InlineData("")]
    [InlineData(null)]
    public void TryCurrency_UnknownOrMiswrittenCode_IsRejected(string? code)
    {
        Assert.False(CreditType.TryCurrency(code, out _, out var error));
        Assert.Contains("ISO 4217", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api_calls")]
    [InlineData("gb")]
    [InlineData("m2_storage_hours")]
    public void TryUnit_ValidKey_HasSixDecimals(string key)
    {
        Assert.True(CreditType.TryUnit(key, out var creditType, out _));
        Assert.Equal(CreditKind.Units, creditType.Kind);
        Assert.Equal(6, creditType.Scale);
    }

    [Theory]
    [InlineData("API_calls")]
    [InlineData("1calls")]
    [InlineData("_calls")]
    [InlineData("api-calls")]
    [InlineData("")]
    public void TryUnit_InvalidKey_IsRejected(string key)
    {
        Assert.False(CreditType.TryUnit(key, out _, out _));
    }

    [Theory]
    [InlineData(63, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void TryUnit_KeyLength_AcceptsUpTo64Characters(int length, bool accepted)
    {
        Assert.Equal(accepted, CreditType.TryUnit(new string('a', length), out _, out _));
    }
}
