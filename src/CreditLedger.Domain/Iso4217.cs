using System.Collections.Frozen;

namespace CreditLedger.Domain;

/// <summary>
/// The ISO 4217 currencies that can carry credits, with their minor units (the number of decimals an
/// amount has). Funds codes and currencies without minor units (precious metals, testing codes) are not
/// included.
/// </summary>
public static class Iso4217
{
    private const string TwoDecimals =
        "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD " +
        "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS " +
        "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL " +
        "MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK " +
        "PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS " +
        "TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG";

    private const string ZeroDecimals = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";

    private const string ThreeDecimals = "BHD IQD JOD KWD LYD OMR TND";

    private const string FourDecimals = "CLF UYW";

    private static readonly FrozenDictionary<string, int> MinorUnitsByCode = Build();

    /// <summary>The minor units of <paramref name="code"/> (upper-case, e.g. <c>USD</c>: 2), if it is a known currency.</summary>
    public static bool TryGetMinorUnits(string code, out int minorUnits) =>
        MinorUnitsByCode.TryGetValue(code, out minorUnits);

    private static FrozenDictionary<string, int> Build()
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        Add(codes, TwoDecimals, 2);
        Add(codes, ZeroDecimals, 0);
        Add(codes, ThreeDecimals, 3);
        Add(codes, FourDecimals, 4);
        return codes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void Add(Dictionary<string, int> codes, string list, int minorUnits)
    {
        foreach (var code in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            codes.Add(code, minorUnits);
        }
    }
}
