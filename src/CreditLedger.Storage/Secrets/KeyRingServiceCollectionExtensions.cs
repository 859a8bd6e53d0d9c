using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditLedger.Storage.Secrets;

/// <summary>Registers the shared key ring and <see cref="SecretProtector"/>.</summary>
public static class KeyRingServiceCollectionExtensions
{
    /// <summary>The data protection application name: processes of one deployment share keys only under the same name.</summary>
    public const string ApplicationName = "CreditLedger";

    /// <summary>
    /// Data protection with its key ring in the <see cref="LedgerDatabase"/> (registered before) and every key encrypted
    /// with the certificate of <see cref="KeyRingOptions"/> from <paramref name="configuration"/>, loaded (or created) now.
    /// </summary>
    public static IServiceCollection AddCreditLedgerKeyRing(this IServiceCollection services, IConfiguration configuration, ILogger logger)
    {
        var options = new KeyRingOptions();
        configuration.GetSection(KeyRingOptions.SectionName).Bind(options);
        var certificate = KeyRingCertificate.Load(options, logger);
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .ProtectKeysWithCertificate(certificate)
            .UnprotectKeysWithAnyCertificate(certificate);
        services.AddOptions<KeyManagementOptions>().Configure<LedgerDatabase>((o, database) => o.XmlRepository = new PostgresXmlRepository(() => database.DataSource));
        services.AddSingleton<SecretProtector>();
        return services;
    }
}
