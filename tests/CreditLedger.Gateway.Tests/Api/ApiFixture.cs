using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CreditLedger.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>The all-in-one host in memory (WebApplicationFactory) on a database of its own, with a known bootstrap admin key.</summary>
public class ApiFixture : IAsyncLifetime, IAsyncDisposable
{
    public const string AdminKey = "clk_test_bootstrap_admin_key_0123456789";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<object>>> _once = new(StringComparer.Ordinal);
    private WebApplicationFactory<Program> _factory = null!;
    private int _counter;

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Settings a derived fixture adds to the host's configuration.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>The host's services (the grain factory, stores).</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>The connection string the host is given for <paramref name="connectionString"/> (the same by default).</summary>
    protected virtual string HostConnectionString(string connectionString) => connectionString;

    /// <summary>Changes a derived fixture makes to the host (logging providers, for one).</summary>
    protected virtual void ConfigureHost(IWebHostBuilder web)
    {
    }

    /// <summary>A database to use instead of a new one (kept afterwards); for tests that restart the host on the same data.</summary>
    protected virtual string? ExistingDatabase => null;

    public async Task InitializeAsync()
    {
        ConnectionString = ExistingDatabase ?? await TestPostgres.CreateMigratedDatabaseAsync("api");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Ledger", HostConnectionString(ConnectionString))
                .UseSetting("CreditLedger:Auth:BootstrapKey", AdminKey)
                .UseSetting("Orleans:ServiceId", "api-" + Environment.ProcessId)
                .UseSetting("Orleans:ClusterId", "api-" + Environment.ProcessId)
                // Each fixture is one process alone on its own database: no membership table needed.
                .UseSetting("Orleans:Clustering", "localhost")
                // Endpoints made by tests that do not wait for deliveries poll the ledger less often than the default
                // tenth of a second; fixtures that watch deliveries set their own interval.
                .UseSetting("CreditLedger:Webhooks:PollInterval", "00:00:01")
                .ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(Settings));
            ConfigureHost(web);
        });
        _ = _factory.Server;
    }

    public virtual async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await DataSource.DisposeAsync();
        if (ExistingDatabase is null)
        {
            await TestPostgres.DropDatabaseAsync(ConnectionString);
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A client sending <paramref name="key"/> (the admin key by default; null sends none).</summary>
    public HttpClient Client(string? key = AdminKey) => Client(new WebApplicationFactoryClientOptions(), key);

    /// <summary>A client made with <paramref name="options"/> (cookies, redirects) sending <paramref name="key"/> when not null.</summary>
    public HttpClient Client(WebApplicationFactoryClientOptions options, string? key)
    {
        var client = _factory.CreateClient(options);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Runs <paramref name="setUp"/> once per fixture and shares its result between the class's tests.</summary>
    public async Task<T> OnceAsync<T>(string key, Func<Task<T>> setUp)
        where T : class =>
        (T)await _once.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await setUp())).Value;

    /// <summary>An id no other test uses.</summary>
    public string NewId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _counter)}";

    /// <summary>Creates an API key with the given scopes and returns its secret.</summary>
    public async Task<string> KeyAsync(string name, params string[] scopes)
    {
        using var admin = Client();
        var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name, scopes });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>Creates a customer.</summary>
    public async Task<string> CustomerAsync(string prefix = "cust")
    {
        var id = NewId(prefix);
        using var admin = Client();
        var response = await admin.PutAsync($"/v1/customers/{id}", Json(new { name = "Acme", email = "billing@acme.test" }));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static StringContent Raw(string body, string contentType = "application/json") => new(body, Encoding.UTF8, contentType);

    /// <summary>A text value read with SQL.</summary>
    public Task<string> ScalarTextAsync(string sql, params object[] parameters) => DataSource.ScalarAsync<string>(sql, parameters);

    /// <summary>A number read with SQL (0 when there is no row).</summary>
    public async Task<long> ScalarAsync(string sql, params object[] parameters) =>
        Convert.ToInt64(await DataSource.ScalarAsync<object>(sql, parameters), System.Globalization.CultureInfo.InvariantCulture);

    public Task<List<string>> StringsAsync(string sql) => DataSource.StringsAsync(sql);

    /// <summary>Everything the ledger holds, as one number per table: equal before and after means nothing changed.</summary>
    public Task<string> LedgerFingerprintAsync() =>
        ScalarTextAsync("""
            SELECT concat_ws(',',
                (SELECT count(*) FROM ledger_entries), (SELECT count(*) FROM invoices), (SELECT count(*) FROM webhook_endpoints),
                (SELECT count(*) FROM idempotency_records), (SELECT count(*) FROM customers), (SELECT count(*) FROM api_keys),
                (SELECT count(*) FROM credit_schedules), (SELECT count(*) FROM credit_schedules WHERE cancelled_at IS NOT NULL),
                (SELECT count(*) FROM credit_top_up_rules), (SELECT count(*) FROM credit_top_up_requests WHERE status = 'outstanding'))
            """);
}
