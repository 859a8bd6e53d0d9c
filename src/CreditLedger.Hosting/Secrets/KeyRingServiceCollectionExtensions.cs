using System.Security.Cryptography.X509Certificates;
using CreditLedger.Storage;
using CreditLedger.Storage.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace CreditLedger.Hosting.Secrets;

/// <summary>Registers the shared key ring and <see cref="SecretProtector"/>.</summary>
public static class KeyRingServiceCollectionExtensions
{
    /// <summary>The data protection application name: processes of one deployment share keys only under the same name.</summary>
    public const string ApplicationName = "CreditLedger";

    /// <summary>
    /// Data protection with its key ring in the <see cref="LedgerDatabase"/>, every key encrypted with
    /// <paramref name="certificate"/>. Register it after the database's hosted service: data protection reads the key
    /// ring when the host starts.
    /// </summary>
    public static IServiceCollection AddCreditLedgerKeyRing(this IServiceCollection services, X509Certificate2 certificate)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .ProtectKeysWithCertificate(certificate)
            .UnprotectKeysWithAnyCertificate(certificate);
        services.AddOptions<KeyManagementOptions>().Configure<LedgerDatabase>((o, database) => o.XmlRepository = new PostgresXmlRepository(() => database.DataSource));
        services.AddSingleton<SecretProtector>();
        return services;
    }
}
