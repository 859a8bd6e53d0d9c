using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditLedger.Hosting.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CreditLedger.Hosting.Secrets;

/// <summary>Loads the key ring's certificate from a setting or a file, creating the file at the first start.</summary>
public static partial class KeyRingCertificate
{
    /// <summary>The certificate the <see cref="KeyRingOptions"/> section of <paramref name="configuration"/> names, loaded (or created) now.</summary>
    /// <exception cref="InvalidOperationException">The configured certificate cannot be used.</exception>
    public static X509Certificate2 Load(IConfiguration configuration, ILogger logger)
    {
        var options = new KeyRingOptions();
        configuration.GetSection(KeyRingOptions.SectionName).Bind(options);
        return Load(options, logger);
    }

    /// <summary>The certificate of <paramref name="options"/>: the configured content, else the file (created if missing).</summary>
    /// <exception cref="InvalidOperationException">The configured content or file is not a certificate with an RSA private key.</exception>
    public static X509Certificate2 Load(KeyRingOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.Certificate))
        {
            return FromPkcs12(Convert.FromBase64String(options.Certificate.Trim()), options.CertificatePassword, $"{KeyRingOptions.SectionName}:Certificate");
        }

        var path = Path.GetFullPath(options.CertificateFile);
        if (!File.Exists(path))
        {
            TryCreate(path, logger);
        }

        return FromPkcs12(File.ReadAllBytes(path), options.CertificatePassword, path);
    }

    // Several processes may start at once on one working directory: the first to create the file wins, the others read it.
    private static void TryCreate(string path, ILogger logger)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            if (Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
            {
                // Run as root, a folder the engine creates for its data belongs to the postgres user, as the embedded
                // cluster's own do: its data folder goes beside the key file. The key file stays root's, readable by root only.
                _ = ProcessRunner.RunAsync("chown", ["postgres:", folder], user: null, CancellationToken.None).GetAwaiter().GetResult();
            }
        }

        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=CreditLedger key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
        var content = certificate.Export(X509ContentType.Pkcs12);
        // Written whole under a name of its own, then moved into place: a process starting beside this one sees
        // either no file or the complete one, and only one of them moves its file there.
        var written = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(written, create))
        {
            file.Write(content);
        }

        try
        {
            File.Move(written, path, overwrite: false);
            LogCreated(logger, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first.
            File.Delete(written);
        }
    }

    private static X509Certificate2 FromPkcs12(byte[] content, string? password, string source)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(content, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"The key ring certificate in {source} cannot be read: {e.Message}", e);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The key ring certificate in {source} must be an RSA certificate with its private key.");
        }

        return certificate;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the key ring certificate {Path}: it protects the webhook signing secrets and session keys stored in PostgreSQL. Back it up apart from the database; every process of the deployment needs the same one")]
    private static partial void LogCreated(ILogger logger, string path);
}
