using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CreditLedger.Gateway.Tests.Api;
using CreditLedger.Hosting.Postgres;
using CreditLedger.Hosting.Secrets;
using CreditLedger.Storage;
using CreditLedger.Storage.Secrets;
using CreditLedger.Storage.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>
/// Secrets at rest: a <c>pg_dump --data-only</c> of a database holding API keys and webhook endpoints (one with a
/// rotated secret) shows none of their secrets, and what it does hold cannot be decrypted without the key ring
/// certificate, which is kept outside the database. Secrets an earlier version stored in clear are encrypted at start.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class SecretsAtRestTests(ApiFixture api)
{
    private static readonly string[] AllEvents = [];
    private static readonly string[] ReadScope = ["read"];

    [Fact]
    public async Task PgDump_DataOnly_HoldsNoSecret_AndWhatItHoldsDoesNotDecryptWithoutTheCertificate()
    {
        using var admin = api.Client();
        var key = await (await admin.PostAsJsonAsync("/v1/api-keys", new { name = "dump", scopes = ReadScope })).JsonAsync(HttpStatusCode.Created);
        var endpoint = await (await admin.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://hooks.example.com/dump", events = AllEvents })).JsonAsync(HttpStatusCode.Created);
        var rotated = await (await admin.PostAsync(new Uri($"/v1/webhook-endpoints/{endpoint.Str("id")}/rotate-secret", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        string[] secrets = [key.Str("key"), endpoint.Str("secret"), rotated.Str("secret"), ApiFixture.AdminKey];

        var dump = await PgDumpAsync(api.ConnectionString);

        Assert.Contains("COPY public.webhook_endpoints", dump, StringComparison.Ordinal);
        Assert.Contains("COPY public.data_protection_keys", dump, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            var body = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret;
            Assert.DoesNotContain(body, dump, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("whsec_", dump, StringComparison.Ordinal);
        // The key ring is in the dump only encrypted to the certificate: no master key in clear.
        Assert.Contains("EncryptedData", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", dump, StringComparison.Ordinal);

        // Everything the dump holds, without the certificate: the stored secret does not decrypt.
        var stored = await api.ScalarTextAsync("SELECT secret FROM webhook_endpoints WHERE endpoint_id = $1", endpoint.Str("id"));
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(KeyRingServiceCollectionExtensions.ApplicationName);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(() => dataSource));
        await using var withoutCertificate = services.BuildServiceProvider();
        var protector = new SecretProtector(withoutCertificate.GetRequiredService<IDataProtectionProvider>());
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(stored));

        // With it (the engine's own protector), the same value is the secret.
        Assert.Equal(rotated.Str("secret"), api.Services.GetRequiredService<SecretProtector>().Unprotect(stored));
    }

    [Fact]
    public async Task PlaintextSecret_StoredByAnEarlierVersion_EncryptedAndStillTheSameSecret()
    {
        using var admin = api.Client();
        var endpoint = await (await admin.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://hooks.example.com/plain", events = AllEvents })).JsonAsync(HttpStatusCode.Created);
        const string Plain = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        await api.ScalarAsync("WITH s AS (UPDATE webhook_endpoints SET secret = $2 WHERE endpoint_id = $1 RETURNING 1) SELECT count(*) FROM s", endpoint.Str("id"), Plain);
        var secrets = api.Services.GetRequiredService<SecretProtector>();
        var store = new WebhookStore(api.Services.GetRequiredService<LedgerDatabase>().DataSource, secrets);
        Assert.Equal(Plain, (await store.LoadStateAsync(endpoint.Str("id")))!.Secret);

        Assert.True(await store.ProtectPlaintextSecretsAsync() >= 1);

        var stored = await api.ScalarTextAsync("SELECT secret FROM webhook_endpoints WHERE endpoint_id = $1", endpoint.Str("id"));
        Assert.False(SecretProtector.IsPlaintext(stored));
        Assert.Equal(Plain, (await store.LoadStateAsync(endpoint.Str("id")))!.Secret);
        Assert.Equal(0, await api.ScalarAsync("SELECT count(*) FROM webhook_endpoints WHERE secret LIKE 'whsec%' OR previous_secret LIKE 'whsec%'"));
    }

    private static async Task<string> PgDumpAsync(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        // pg_dump beside the server programs the engine runs, so its version matches the server's.
        var pgDump = Path.Combine(Path.GetDirectoryName(PostgresBinaries.Locate(null).PgCtl)!, "pg_dump");
        var start = new ProcessStartInfo(pgDump, ["--data-only", "--host", settings.Host!, "--port", settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", settings.Username!, settings.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (settings.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_dump failed: {await errors}");
        return await output;
    }
}
