using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CreditLedger.Hosting;

/// <summary>
/// Lets PostgreSQL errors (Npgsql's exceptions) cross the wire between silos and gateway processes. Orleans serializes
/// exceptions only from the namespaces it knows; an activation that fails because its snapshot cannot be read while
/// PostgreSQL is down fails with Orleans' error wrapping an <c>NpgsqlException</c>, and without this the silo cannot
/// send that answer: the caller gets a codec error instead, which says nothing about storage and is answered 500
/// rather than 503 "retry".
/// </summary>
public static class StorageExceptionTransport
{
    /// <summary>The namespace prefix of the exceptions added.</summary>
    public const string NamespacePrefix = "Npgsql";

    /// <summary>Adds Npgsql's exceptions to those Orleans serializes, in a silo or a client.</summary>
    public static IServiceCollection AddStorageExceptionTransport(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add(NamespacePrefix));
}
