using System.Security.Cryptography;

namespace CreditLedger.Grains;

/// <summary>Grant and schedule ids of 20 random base-32 characters (100 bits) after <c>grt_</c> or <c>sch_</c>.</summary>
public sealed class RandomGrantIdGenerator : IGrantIdGenerator
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <inheritdoc />
    public string NewGrantId() => "grt_" + RandomNumberGenerator.GetString(Alphabet, 20);

    /// <inheritdoc />
    public string NewScheduleId() => "sch_" + RandomNumberGenerator.GetString(Alphabet, 20);
}
