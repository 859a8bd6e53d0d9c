namespace CreditLedger.Hosting;

/// <summary>How a process finds the other members of its cluster.</summary>
public enum ClusteringMode
{
    /// <summary>A single silo on loopback with no membership table.</summary>
    Localhost,

    /// <summary>Membership kept in PostgreSQL by the Orleans ADO.NET clustering provider.</summary>
    AdoNet,
}
