using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace CreditLedger.Storage.Keys;

/// <summary>
/// API keys in PostgreSQL. A key's secret is random (<c>clk_</c> and 40 base-62 characters, about 238 bits),
/// shown once at creation and stored only as its SHA-256 hash; a fast hash is enough because the secret is
/// not guessable. Revocation takes effect on the next request, because every request looks its key up.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>The name of the bootstrap admin key.</summary>
    public const string BootstrapName = "bootstrap";

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Base32 = "0123456789abcdefghjkmnpqrstvwxyz";
    private const string Columns = "key_id, name, scopes, created_at, revoked_at, last_used_at";

    /// <summary>A new random secret.</summary>
    public static string NewSecret() => "clk_" + RandomNumberGenerator.GetString(Base62, 40);

    /// <summary>Creates a key; returns it and its secret, which is never available again.</summary>
    public async Task<(ApiKeyRecord Key, string Secret)> CreateAsync(string name, IReadOnlyList<string> scopes, CancellationToken cancellationToken = default)
    {
        var secret = NewSecret();
        var key = await InsertAsync(name, scopes, secret, cancellationToken);
        return (key, secret);
    }

    /// <summary>The key whose secret is <paramref name="secret"/>, if it exists and is not revoked.</summary>
    public async Task<ApiKeyRecord?> FindActiveAsync(string secret, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Hash(secret) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The key with id <paramref name="keyId"/>, if it exists and is not revoked.</summary>
    public async Task<ApiKeyRecord?> FindActiveByIdAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Keys ordered by id, after <paramref name="afterKeyId"/>, revoked ones included.</summary>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string? afterKeyId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_keys WHERE key_id > $1 ORDER BY key_id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = afterKeyId ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var keys = new List<ApiKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    /// <summary>Revokes a key at once. Returns it, or null when no key has that id. Revoking twice keeps the first time.</summary>
    public async Task<ApiKeyRecord?> RevokeAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE key_id = $1 RETURNING {Columns}");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Records that a key authenticated a request, at most once a minute per key.</summary>
    public async Task TouchAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE api_keys SET last_used_at = $2 WHERE key_id = $1 AND (last_used_at IS NULL OR last_used_at < $2 - interval '1 minute')");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Makes sure the bootstrap admin key exists. With <paramref name="configuredSecret"/>, that secret is an
    /// admin key (unless it was revoked: a revoked key stays revoked). Without one, a key is generated when no
    /// bootstrap key was ever stored, and its secret returned so the host can print it once; otherwise null.
    /// </summary>
    public async Task<string?> EnsureBootstrapAsync(string? configuredSecret, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('creditledger.bootstrap-key'))", connection, transaction))
        {
            await gate.ExecuteNonQueryAsync(cancellationToken);
        }

        string? generated = null;
        if (!string.IsNullOrEmpty(configuredSecret))
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM api_keys WHERE secret_hash = $1", connection, transaction);
            exists.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Hash(configuredSecret) });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await InsertAsync(BootstrapName, ["admin"], configuredSecret, cancellationToken, connection, transaction);
            }
        }
        else
        {
            await using var any = new NpgsqlCommand("SELECT 1 FROM api_keys WHERE name = $1", connection, transaction);
            any.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BootstrapName });
            if (await any.ExecuteScalarAsync(cancellationToken) is null)
            {
                generated = NewSecret();
                await InsertAsync(BootstrapName, ["admin"], generated, cancellationToken, connection, transaction);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return generated;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private async Task<ApiKeyRecord> InsertAsync(
        string name, IReadOnlyList<string> scopes, string secret, CancellationToken cancellationToken, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        const string Sql = $"INSERT INTO api_keys (key_id, name, scopes, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {Columns}";
        await using var command = connection is null ? dataSource.CreateCommand(Sql) : new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "key_" + RandomNumberGenerator.GetString(Base32, 20) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. scopes] });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = Hash(secret) });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Read(reader);
    }

    private static ApiKeyRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetFieldValue<string[]>(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
}
