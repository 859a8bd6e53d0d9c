namespace CreditLedger.Domain.Tests;

/// <summary>Amount strings of the API: exact parsing that rejects excess precision instead of rounding,
/// the limits at -1/0/+1, and the canonical formatting per credit type.</summary>
public sealed class AmountTextTests
{
    private static readonly CreditType Usd = CreditType.Currency("USD");
    private static readonly CreditType Jpy = CreditType.Currency("JPY");
    private static readonly CreditType Calls = CreditType.Unit("api_calls");

    [Theory]
    [InlineData("50", "50")]
    [InlineData("50.00", "50")]
    [InlineData("50.000", "50")]
    [InlineData("0.01", "0.01")]
    [InlineData("007.10", "7.1")]
    public void TryParse_UsdWithinScale_IsExact(string text, string expected)
    {
        Assert.True(AmountText.TryParse(text, Usd, allowZero: false, out var amount, out _));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), amount);
    }

    [Theory]
    [InlineData("10.001")]
    [InlineData("0.005")]
    public void TryParse_UsdBeyondScale_IsRejectedNotRounded(string text)
    {
        Assert.False(AmountText.TryParse(text, Usd, allowZero: false, out var amount, out var error));
        Assert.Equal(0m, amount);
        Assert.Contains("at most 2 decimal", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_JpyWithDecimals_IsRejected()
    {
        Assert.False(AmountText.TryParse("1500.5", Jpy, allowZero: false, out _, out var error));
        Assert.Contains("whole numbers", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.000001", true)]
    [InlineData("0.0000001", false)]
    [InlineData("2.5000000", true)]
    public void TryParse_Units_AllowSixDecimals(string text, bool accepted)
    {
        Assert.Equal(accepted, AmountText.TryParse(text, Calls, allowZero: false, out _, out _));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("1e3")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("5.")]
    [InlineData(".5")]
    [InlineData("1,000")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("٥")]
    public void TryParse_NotAPlainDecimal_IsRejected(string? text)
    {
        Assert.False(AmountText.TryParse(text, Usd, allowZero: true, out _, out var error));
        Assert.Contains("decimal string", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("999999999999.99", true)]
    [InlineData("1000000000000", true)]
    [InlineData("1000000000000.00", true)]
    [InlineData("1000000000000.01", false)]
    [InlineData("10000000000000", false)]
    [InlineData("99999999999999999999999999999999999", false)]
    public void TryParse_AroundTheMaximum_AcceptsUpToOneTrillion(string text, bool accepted)
    {
        Assert.Equal(accepted, AmountText.TryParse(text, Usd, allowZero: false, out _, out _));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void TryParse_Zero_OnlyWhereAllowed(bool allowZero, bool accepted)
    {
        Assert.Equal(accepted, AmountText.TryParse("0.00", Usd, allowZero, out _, out _));
    }

    [Theory]
    [InlineData("50", "USD", "50.00")]
    [InlineData("0", "USD", "0.00")]
    [InlineData("-50", "USD", "-50.00")]
    [InlineData("1500", "JPY", "1500")]
    [InlineData("1.5", "KWD", "1.500")]
    public void Format_Monetary_HasExactlyTheMinorUnits(string value, string currency, string expected)
    {
        var amount = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, AmountText.Format(amount, CreditType.Currency(currency)));
    }

    [Theory]
    [InlineData("10000.000000", "10000")]
    [InlineData("2.50", "2.5")]
    [InlineData("0.000000", "0")]
    [InlineData("-12000", "-12000")]
    [InlineData("0.000001", "0.000001")]
    public void Format_Units_HasNoTrailingZeros(string value, string expected)
    {
        var amount = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, AmountText.Format(amount, Calls));
    }

    [Fact]
    public void Format_MoreDecimalsThanTheType_Throws()
    {
        Assert.Throws<ArgumentException>(() => AmountText.Format(0.001m, Usd));
    }

    [Theory]
    [InlineData("0.01")]
    [InlineData("50.00")]
    [InlineData("999999999999.99")]
    public void ParseThenFormat_Monetary_RoundTrips(string text)
    {
        Assert.True(AmountText.TryParse(text, Usd, allowZero: false, out var amount, out _));

        Assert.Equal(text, AmountText.Format(amount, Usd));
    }
}
