namespace CreditLedger.Gateway.Hosting;

/// <summary>What one process of the engine does, from the setting <c>CreditLedger:Role</c>.</summary>
public enum HostRole
{
    /// <summary>The default: the HTTP gateway and a silo in one process.</summary>
    All,

    /// <summary>A silo only: grains, reminders, storage; HTTP serves health and metrics only.</summary>
    Silo,

    /// <summary>The HTTP gateway only, as an Orleans client of a cluster of silos.</summary>
    Gateway,
}

/// <summary>Reads <see cref="HostRole"/> from configuration.</summary>
public static class HostRoles
{
    public const string SettingName = "CreditLedger:Role";

    /// <exception cref="InvalidOperationException">The setting has a value other than all, silo or gateway.</exception>
    public static HostRole From(IConfiguration configuration)
    {
        var value = configuration[SettingName];
        return value?.Trim().ToUpperInvariant() switch
        {
            null or "" or "ALL" => HostRole.All,
            "SILO" => HostRole.Silo,
            "GATEWAY" => HostRole.Gateway,
            _ => throw new InvalidOperationException($"{SettingName} is '{value}'; it must be 'all', 'silo' or 'gateway'."),
        };
    }
}
