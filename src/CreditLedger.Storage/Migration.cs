namespace CreditLedger.Storage;

/// <summary>One numbered schema script. <paramref name="Checksum"/> is the SHA-256 of its text.</summary>
public sealed record Migration(int Version, string Name, string Sql, string Checksum);
