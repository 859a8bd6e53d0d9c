using CreditLedger.Domain;

namespace CreditLedger.Contracts;

/// <summary>
/// The string keys of the engine's grains. Keys carry a prefix that is not hexadecimal, because Orleans
/// reads a string key made only of hex digits as a number: <c>"20235"</c> and <c>"020235"</c> would be the
/// same grain to grain storage. Always build keys here; never pass a raw customer id as a grain key.
/// </summary>
public static class GrainKeys
{
    /// <summary>The prefix of every customer grain key.</summary>
    public const string CustomerPrefix = "customer:";

    /// <summary>The key of the grain that holds <paramref name="customerId"/>'s credits.</summary>
    public static string ForCustomer(CustomerId customerId) => CustomerPrefix + customerId.Value;

    /// <summary>The customer id inside a customer grain key.</summary>
    /// <exception cref="ArgumentException"><paramref name="grainKey"/> is not a customer grain key.</exception>
    public static CustomerId CustomerOf(string grainKey)
    {
        ArgumentNullException.ThrowIfNull(grainKey);
        if (!grainKey.StartsWith(CustomerPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{grainKey}' is not a customer grain key.", nameof(grainKey));
        }

        return CustomerId.Parse(grainKey[CustomerPrefix.Length..]);
    }
}
