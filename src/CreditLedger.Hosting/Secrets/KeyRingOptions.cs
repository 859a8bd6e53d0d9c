namespace CreditLedger.Hosting.Secrets;

/// <summary>
/// Settings of the key ring's protection (section <c>CreditLedger:KeyRing</c>): the certificate whose key encrypts
/// every data protection key stored in PostgreSQL. Every process of a deployment needs the same one.
/// </summary>
public sealed class KeyRingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CreditLedger:KeyRing";

    /// <summary>
    /// A PKCS#12 (.pfx) file holding the certificate and its private key; relative paths are under the working
    /// directory. Created (self-signed, RSA 3072, readable by its owner only) at the first start when it does not
    /// exist. Default <c>.data/keyring.pfx</c>, beside the embedded PostgreSQL's data folder.
    /// </summary>
    public string CertificateFile { get; set; } = Path.Combine(".data", "keyring.pfx");

    /// <summary>The same PKCS#12 content in base64, for deployments that pass secrets as settings; used instead of the file when set.</summary>
    public string? Certificate { get; set; }

    /// <summary>The password of the PKCS#12 content, if it has one.</summary>
    public string? CertificatePassword { get; set; }
}
