using System.Net;
using System.Net.Sockets;
using CreditLedger.Storage;
using Microsoft.Extensions.Configuration;

namespace CreditLedger.Hosting;

/// <summary>
/// The <c>Orleans</c> configuration section: which cluster this process joins and how it is reached.
/// Every process of one deployment uses the same <see cref="ClusterId"/> and <see cref="ServiceId"/>.
/// </summary>
public sealed class OrleansSettings
{
    public const string SectionName = "Orleans";

    /// <summary>The cluster's id; processes with the same id form one cluster. Default <c>creditledger</c>.</summary>
    public string ClusterId { get; set; } = "creditledger";

    /// <summary>The service's id; stored grain state and reminders belong to it, so it must never change
    /// for a deployment. Default <c>creditledger</c>.</summary>
    public string ServiceId { get; set; } = "creditledger";

    /// <summary>
    /// <c>adonet</c> (membership in PostgreSQL: every process given the same database forms one cluster) or
    /// <c>localhost</c> (one silo, no membership table). Unset, it follows the database: <c>adonet</c> with a
    /// shared database (<c>ConnectionStrings:Ledger</c>), <c>localhost</c> with the embedded cluster.
    /// </summary>
    public string? Clustering { get; set; }

    /// <summary>Whether the process was given a shared database (<c>ConnectionStrings:Ledger</c>) rather than the embedded cluster.</summary>
    public bool SharedDatabase { get; set; }

    /// <summary>
    /// Whether <c>localhost</c> was chosen explicitly although the database is shared: another process given the same
    /// database would form a cluster of its own and serve the same customers at the same time. Allowed (a lone
    /// process on a configured server), but the host warns.
    /// </summary>
    public bool LocalhostWithSharedDatabase => SharedDatabase && ClusteringMode == ClusteringMode.Localhost;

    /// <summary>The port silos talk to each other on; 0 (the default) picks a free one at start.</summary>
    public int SiloPort { get; set; }

    /// <summary>The port Orleans clients (gateway processes) connect to; 0 (the default) picks a free one at start.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other processes reach this silo at: an IP address, a host name, or <c>hostname</c> for
    /// this machine's own name (in a container: the container's address). Default: loopback (every process on one host).</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The shortest reminder period allowed. Orleans' default (one minute) applies when unset;
    /// tests lower it.</summary>
    public TimeSpan? MinimumReminderPeriod { get; set; }

    /// <summary>
    /// How long a silo waits for another silo to answer a liveness probe before counting it as missed. Orleans'
    /// default (5 seconds) applies when unset. With <see cref="NumMissedProbesLimit"/> it bounds how long the
    /// grains of a silo that stopped answering (crashed, paused, cut off) stay unreachable before the cluster
    /// declares it dead and reactivates them elsewhere. Shorter detects faster but risks declaring a silo dead
    /// during a long garbage collection or CPU starvation; tests shorten it.
    /// </summary>
    public TimeSpan? ProbeTimeout { get; set; }

    /// <summary>
    /// How many probes in a row a silo may miss before it is suspected dead. Orleans' default (3) applies when
    /// unset; see <see cref="ProbeTimeout"/>.
    /// </summary>
    public int? NumMissedProbesLimit { get; set; }

    /// <summary>
    /// How long a grain call waits for its answer before it fails with a timeout, in silos and in gateway processes
    /// (Orleans clients). Orleans' default (30 seconds) applies when unset. A call that was in flight to a silo that
    /// crashed never gets an answer, so this bounds how long such a call (and, on the gateway, the applies of that
    /// customer queued behind it) waits before the client is told to retry; the outcome of a timed-out command is
    /// unknown, which is safe because retries carry the same invoice id or idempotency key. Commands normally answer
    /// in milliseconds; keep it well above the slowest ledger commit.
    /// </summary>
    public TimeSpan? ResponseTimeout { get; set; }

    /// <summary>Reads the section from <paramref name="configuration"/> and checks it.</summary>
    /// <exception cref="InvalidOperationException">A setting has a value that cannot work.</exception>
    public static OrleansSettings From(IConfiguration configuration)
    {
        var settings = new OrleansSettings
        {
            SharedDatabase = !string.IsNullOrWhiteSpace(configuration.GetConnectionString(LedgerDatabase.ConnectionStringName)),
        };
        configuration.GetSection(SectionName).Bind(settings);
        settings.Validate();
        return settings;
    }

    /// <summary>The clustering mode; when not set, <see cref="ClusteringMode.AdoNet"/> with a shared database, else <see cref="ClusteringMode.Localhost"/>.</summary>
    public ClusteringMode ClusteringMode => Clustering?.Trim().ToUpperInvariant() switch
    {
        null or "" => SharedDatabase ? ClusteringMode.AdoNet : ClusteringMode.Localhost,
        "LOCALHOST" => ClusteringMode.Localhost,
        "ADONET" => ClusteringMode.AdoNet,
        _ => throw new InvalidOperationException(
            $"Orleans:Clustering is '{Clustering}'; it must be 'localhost' or 'adonet'."),
    };

    /// <summary>The <see cref="AdvertisedAddress"/> value meaning "the address this machine's host name resolves to".</summary>
    public const string HostNameKeyword = "hostname";

    /// <summary>The advertised address as an IP address (host names are resolved, IPv4 preferred).</summary>
    public IPAddress ResolveAdvertisedAddress()
    {
        if (string.IsNullOrWhiteSpace(AdvertisedAddress))
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(AdvertisedAddress, out var address))
        {
            return address;
        }

        // "hostname" is this machine's own name: in a container, the container's address on its network.
        var name = AdvertisedAddress.Equals(HostNameKeyword, StringComparison.OrdinalIgnoreCase) ? Dns.GetHostName() : AdvertisedAddress;
        var addresses = Dns.GetHostAddresses(name);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"Orleans:AdvertisedAddress '{AdvertisedAddress}' does not resolve to an address.");
    }

    private void Validate()
    {
        _ = ClusteringMode;
        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            throw new InvalidOperationException("Orleans:ClusterId and Orleans:ServiceId must not be empty.");
        }

        if (SiloPort is < 0 or > IPEndPoint.MaxPort || GatewayPort is < 0 or > IPEndPoint.MaxPort)
        {
            throw new InvalidOperationException("Orleans:SiloPort and Orleans:GatewayPort must be between 0 and 65535.");
        }

        if (MinimumReminderPeriod is { } period && period <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Orleans:MinimumReminderPeriod must be positive.");
        }

        if (ProbeTimeout is { } probeTimeout && probeTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Orleans:ProbeTimeout must be positive.");
        }

        if (ResponseTimeout is { } responseTimeout && responseTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Orleans:ResponseTimeout must be positive.");
        }

        if (NumMissedProbesLimit is < 1)
        {
            throw new InvalidOperationException("Orleans:NumMissedProbesLimit must be at least 1.");
        }
    }
}
