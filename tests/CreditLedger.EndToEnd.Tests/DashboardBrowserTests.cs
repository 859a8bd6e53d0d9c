using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CreditLedger.Testing;
using Microsoft.Playwright;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// The operator dashboard in headless Chromium (Debian's, driven by Playwright, nothing downloaded) against the
/// engine running as a process: the guide's walk through customers, grants, balances, voids and reports, and the
/// grant form's validation. Every test saves a screenshot under <c>screenshots/</c> in the test output folder.
/// </summary>
public sealed class DashboardBrowserTests(DashboardBrowserTests.Dashboard dashboard) : IClassFixture<DashboardBrowserTests.Dashboard>, IAsyncLifetime
{
    // The browser contexts this test opened. Each is closed when the test ends: a page left open (the Orleans
    // dashboard polls the engine every second) would keep working, and loading the machine, through every later test.
    private readonly List<IBrowserContext> _contexts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    private async Task<IPage> SignedInPageAsync(int width = 1280, int height = 900)
    {
        var page = await dashboard.SignedInPageAsync(width, height);
        _contexts.Add(page.Context);
        return page;
    }

    [Fact]
    public async Task SignIn_CreateCustomer_Grant25With90DayPreset_ShownAsAvailable()
    {
        var page = await SignedInPageAsync();
        var customer = await CreateCustomerAsync(page, "welcome");

        await GrantAsync(page, "25", "P90D", "Welcome credit");

        await Expect(page.Locator("[aria-label='USD balance'] [data-field='available']")).ToHaveTextAsync("$25.00");
        await Expect(page.Locator("#grants tbody tr").First).ToContainTextAsync("active");
        // The available balance over time, from the history: one point so far, at $25.00.
        await Expect(page.Locator("#balance-USD circle")).ToHaveCountAsync(1);
        await page.Locator("#balance-USD circle").FocusAsync();
        await Expect(page.Locator("#balance-USD .chart-value")).ToContainTextAsync("$25.00 available after granted");
        Assert.Contains("Welcome credit", await page.Locator("#history").InnerTextAsync(), StringComparison.Ordinal);
        await dashboard.ScreenshotAsync(page, nameof(SignIn_CreateCustomer_Grant25With90DayPreset_ShownAsAvailable));
        Assert.Equal("25.00", (await dashboard.BalanceAsync(customer)).Available);
    }

    [Fact]
    public async Task Grant10ExpiringIn20Days_ShownUnderExpiringSoon()
    {
        var page = await SignedInPageAsync();
        await CreateCustomerAsync(page, "soon");
        await GrantAsync(page, "25", "P90D", "Welcome credit");

        await GrantAsync(page, "10", "date", "Service credit INC-7", DateTime.UtcNow.AddDays(20));

        await Expect(page.Locator("[aria-label='USD balance'] [data-field='expiringSoon']")).ToHaveTextAsync("$10.00");
        await Expect(page.Locator("[aria-label='USD balance'] [data-field='available']")).ToHaveTextAsync("$35.00");
        await dashboard.ScreenshotAsync(page, nameof(Grant10ExpiringIn20Days_ShownUnderExpiringSoon));
    }

    [Fact]
    public async Task InvoiceAppliedThroughTheApi_PendingChanges()
    {
        var page = await SignedInPageAsync();
        var customer = await CreateCustomerAsync(page, "pending");
        await GrantAsync(page, "25", "P90D", "Welcome credit");

        await dashboard.ApplyAsync(customer, "inv_42", "30.00");
        await page.ReloadAsync();

        await Expect(page.Locator("[aria-label='USD balance'] [data-field='pending']")).ToHaveTextAsync("$25.00");
        await Expect(page.Locator("[aria-label='USD balance'] [data-field='available']")).ToHaveTextAsync("$0.00");
        Assert.Contains("inv_42", await page.Locator("#history").InnerTextAsync(), StringComparison.Ordinal);
        await dashboard.ScreenshotAsync(page, nameof(InvoiceAppliedThroughTheApi_PendingChanges));
    }

    [Fact]
    public async Task VoidGrantWithReason_RemainingGoneAndVoidInHistory()
    {
        var page = await SignedInPageAsync();
        await CreateCustomerAsync(page, "void");
        await GrantAsync(page, "25", "P90D", "Welcome credit");

        await page.Locator("[data-void]").First.ClickAsync();
        await page.Locator("#void-dialog input[name='reason']").FillAsync("Granted twice by mistake");
        await page.Locator("#void-dialog button[value='void']").ClickAsync();

        await Expect(page.Locator("#grants tbody tr").First).ToContainTextAsync("voided");
        await Expect(page.Locator("#history tbody tr").First).ToContainTextAsync("Granted twice by mistake");
        await Expect(page.Locator("#history tbody tr").First).ToContainTextAsync("voided");
        await Expect(page.Locator("[aria-label='USD balance'] [data-field='available']")).ToHaveTextAsync("$0.00");
        await dashboard.ScreenshotAsync(page, nameof(VoidGrantWithReason_RemainingGoneAndVoidInHistory));
    }

    [Fact]
    public async Task CreditPrograms_ScheduleAndTopUpShown_ScheduleCancelledWithAReason()
    {
        var page = await SignedInPageAsync();
        var customer = await CreateCustomerAsync(page, "programs");
        await GrantAsync(page, "25", "P90D", "Welcome credit");
        await dashboard.SendAsync(
            HttpMethod.Post,
            $"/v1/customers/{customer}/credit-schedules",
            """{"type":"monetary","amount":"10.00","currency":"USD","reason":"Monthly allowance","every":"month","periods":12,"rollover":{"maxAmount":"5.00"}}""");
        await dashboard.SendAsync(HttpMethod.Put, $"/v1/customers/{customer}/credit-top-ups/USD", """{"threshold":"40.00","targetBalance":"100.00"}""");
        // The first entry after the rule (an apply) leaves 34.00, below 40.00: a request for 66.00.
        await dashboard.ApplyAsync(customer, "inv_programs", "1.00");

        await page.ReloadAsync();

        var schedule = page.Locator("#schedules tbody tr").First;
        await Expect(schedule).ToContainTextAsync("active");
        await Expect(schedule.Locator("[data-field='periodsGranted']")).ToHaveTextAsync("1 of 12");
        await Expect(schedule.Locator("[data-field='nextPeriodAt']")).Not.ToHaveTextAsync("—");
        await Expect(page.Locator("#top-ups [data-field='outstandingRequest']")).ToContainTextAsync("$66.00");
        await page.Locator("[data-cancel-schedule]").First.ClickAsync();
        await page.Locator("#cancel-schedule-dialog input[name='reason']").FillAsync("Plan downgraded");
        await page.Locator("#cancel-schedule-dialog button[value='cancel-schedule']").ClickAsync();

        await Expect(page.Locator("#schedules tbody tr").First).ToContainTextAsync("cancelled");
        await Expect(page.Locator("#schedules tbody tr").First.Locator("[data-field='nextPeriodAt']")).ToHaveTextAsync("—");
        await Expect(page.Locator("#schedules tbody tr").First).ToContainTextAsync("Plan downgraded");
        await dashboard.ScreenshotAsync(page, nameof(CreditPrograms_ScheduleAndTopUpShown_ScheduleCancelledWithAReason));
    }

    [Fact]
    public async Task Report_FilteredByCustomer_DownloadsCsv()
    {
        var page = await SignedInPageAsync();
        var customer = await CreateCustomerAsync(page, "report");
        await GrantAsync(page, "40", "P12M", "Purchased credits");
        await dashboard.ApplyAsync(customer, "inv_r1", "15.50");
        await dashboard.CatchUpReportAsync(customer);

        await page.GotoAsync(dashboard.Url("#/reports"));
        await page.Locator("#filters input[name='customerId']").FillAsync(customer);
        await page.Locator("#filters button.primary").ClickAsync();
        await Expect(page.Locator("#totals tbody")).ToContainTextAsync("$15.50");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#csv").ClickAsync());
        var csvPath = Path.Combine(dashboard.Screenshots, $"{customer}.csv");
        await download.SaveAsAsync(csvPath);
        await dashboard.ScreenshotAsync(page, nameof(Report_FilteredByCustomer_DownloadsCsv));

        var lines = await File.ReadAllLinesAsync(csvPath);
        Assert.Equal("creditType,customerId,granted,applied,consumed,reinstated,expired,voided,available", lines[0]);
        Assert.Equal($"USD,{customer},40.00,15.50,0.00,0.00,0.00,0.00,24.50", Assert.Single(lines.Skip(1)));
        // One chart per credit type, its value axis in dollars, three bars for the day (granted, applied, expired).
        var chart = page.Locator("#daily-USD");
        await Expect(chart.Locator("figcaption")).ToContainTextAsync("USD per day");
        Assert.Equal(3, await chart.Locator("svg.chart rect").CountAsync());
        Assert.Contains("$0.00", await chart.Locator("svg text.axis").AllTextContentsAsync());
        Assert.Contains(await chart.Locator("svg text.axis").AllTextContentsAsync(), t => t.StartsWith('$') && t != "$0.00");
        // A bar's value shows on keyboard focus, and the same numbers are a table.
        await chart.Locator("rect[aria-label^='Applied']").FocusAsync();
        await Expect(chart.Locator(".chart-value")).ToContainTextAsync("Applied on");
        await Expect(chart.Locator(".chart-value")).ToContainTextAsync("$15.50");
        await chart.Locator("summary").ClickAsync();
        await Expect(chart.Locator("table")).ToContainTextAsync("$40.00");
    }

    [Fact]
    public async Task GrantForm_InvalidAmount_ShowsTheApiFieldMessageAndGrantsNothing()
    {
        var page = await SignedInPageAsync();
        var customer = await CreateCustomerAsync(page, "invalid");

        await page.Locator("#grant-open").ClickAsync();
        await page.Locator("#grant-form input[name='amount']").FillAsync("10.001");
        await page.Locator("#grant-form input[name='reason']").FillAsync("Too precise");
        await page.Locator("#grant-form button.primary").ClickAsync();

        await Expect(page.Locator("#grant-form [data-error='amount']")).ToHaveTextAsync("USD amounts have at most 2 decimal place(s).");
        await Expect(page.Locator("#grant-dialog")).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync(page, nameof(GrantForm_InvalidAmount_ShowsTheApiFieldMessageAndGrantsNothing));
        Assert.Equal(0, await dashboard.EntryCountAsync(customer));
    }

    [Fact]
    public async Task SignIn_AdminKey_OpensOrleansDashboardWithStrictHttpOnlyCookie()
    {
        var page = await SignedInPageAsync();
        var link = page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" });
        await Expect(link).ToBeVisibleAsync();

        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "creditledger_dashboard");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/dashboard", cookie.Path);
        Assert.Equal(0, await page.EvaluateAsync<int>("document.cookie.length"));

        var orleans = await page.Context.NewPageAsync();
        var response = await orleans.GotoAsync(dashboard.Url("dashboard/"));
        Assert.Equal(200, response!.Status);
        // The page's data calls carry the cookie: the cluster's statistics replace the loading notice.
        await Expect(orleans.GetByText("Loading...")).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await dashboard.ScreenshotAsync(orleans, nameof(SignIn_AdminKey_OpensOrleansDashboardWithStrictHttpOnlyCookie));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(link).ToBeHiddenAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "creditledger_dashboard");
    }

    [Fact]
    public async Task NarrowScreen_390Wide_CustomerPageFitsWithoutSideScrolling()
    {
        var page = await SignedInPageAsync(width: 390, height: 844);
        await CreateCustomerAsync(page, "narrow");
        await GrantAsync(page, "25", "P90D", "Welcome credit");

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        await dashboard.ScreenshotAsync(page, nameof(NarrowScreen_390Wide_CustomerPageFitsWithoutSideScrolling));
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than the screen.");
    }

    [Fact]
    public async Task Webhooks_CreateEndpoint_ShowsSecretOnceAndTheDeliveryLog()
    {
        var page = await SignedInPageAsync();
        await page.GotoAsync(dashboard.Url("#/webhooks"));

        await page.GetByLabel("URL").FillAsync("https://hooks.example.com/credits");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create endpoint" }).ClickAsync();

        await Expect(page.Locator(".secret")).ToContainTextAsync("whsec_");
        await Expect(page.Locator("#endpoints tbody")).ToContainTextAsync("https://hooks.example.com/credits");
        await Expect(page.Locator("#endpoints tbody")).ToContainTextAsync("healthy");
        await Expect(page.Locator("#endpoints tbody")).ToContainTextAsync("0 delivered");
        await Expect(page.Locator("#deliveries")).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync(page, nameof(Webhooks_CreateEndpoint_ShowsSecretOnceAndTheDeliveryLog));
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator(".secret").CountAsync());
    }

    [Fact]
    public async Task CustomersList_ClickAnywhereOnARow_OrTabToItAndEnter_OpensTheCustomer()
    {
        var page = await SignedInPageAsync();
        var customer = await CreateCustomerAsync(page, "rowlink");
        await page.GotoAsync(dashboard.Url($"#/customers?search={customer}"));
        var row = page.Locator("tbody tr", new() { HasText = customer });

        // The name cell is not the link, yet a mouse click on it opens the customer (the click lands on the row's
        // link, which covers the row; Force skips the check that the cell itself receives it).
        await row.Locator("td").Nth(1).ClickAsync(new() { Force = true });
        await Expect(page.Locator("h1")).ToContainTextAsync("Acme rowlink");

        await page.GoBackAsync();
        await Expect(row).ToBeVisibleAsync();
        var link = row.GetByRole(AriaRole.Link, new() { Name = customer });
        await link.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("h1")).ToContainTextAsync("Acme rowlink");
    }

    [Fact]
    public async Task Toast_AfterNavigatingAway_Cleared()
    {
        var page = await SignedInPageAsync();
        await CreateCustomerAsync(page, "toast");
        await GrantAsync(page, "5", "P90D", "Toast credit");
        await Expect(page.Locator("#toast")).ToHaveTextAsync("Credits granted.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Customers", Exact = true }).First.ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Customers");
        await Expect(page.Locator("#toast")).ToBeEmptyAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task<string> CreateCustomerAsync(IPage page, string prefix)
    {
        var id = dashboard.NewId(prefix);
        await page.GotoAsync(dashboard.Url("#/customers"));
        await page.GetByLabel("Customer id").FillAsync(id);
        await page.GetByLabel("Name").FillAsync("Acme " + prefix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create customer" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Acme " + prefix);
        return id;
    }

    private static async Task GrantAsync(IPage page, string amount, string expiration, string reason, DateTime? expiresOn = null)
    {
        var before = await page.Locator("#history tbody tr").CountAsync();
        await page.Locator("#grant-open").ClickAsync();
        await page.Locator("#grant-form input[name='amount']").FillAsync(amount);
        await page.Locator("#grant-form select[name='expiration']").SelectOptionAsync(expiration);
        if (expiresOn is { } date)
        {
            await page.Locator("#grant-form input[name='expiresOn']").FillAsync(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        await page.Locator("#grant-form input[name='reason']").FillAsync(reason);
        await page.Locator("#grant-form button.primary").ClickAsync();
        await Expect(page.Locator("#history tbody")).ToContainTextAsync(reason);
    }

    /// <summary>The engine as a process with a known admin key, and one headless Chromium for the class.</summary>
    public sealed class Dashboard : IAsyncLifetime, IDisposable
    {
        public const string Key = "clk_dashboard_test_key_0123456789abcdefgh";
        private const string Chromium = "/usr/bin/chromium";
        private readonly string _workingDirectory = Directory.CreateTempSubdirectory("creditledger-dashboard-").FullName;
        private string _database = string.Empty;
        private GatewayProcess _engine = null!;
        private IPlaywright _playwright = null!;
        private IBrowser _browser = null!;
        private HttpClient _api = null!;
        private int _counter;

        public string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

        public async Task InitializeAsync()
        {
            Assert.True(File.Exists(Chromium), $"Browser tests need Chromium at {Chromium} (apt-get install chromium).");
            _database = await TestPostgres.CreateMigratedDatabaseAsync("dashboard");
            _engine = GatewayProcess.Start(_workingDirectory, new Dictionary<string, string>
            {
                ["ConnectionStrings__Ledger"] = _database,
                ["CreditLedger__Auth__BootstrapKey"] = Key,
            });
            await _engine.WaitUntilStartedAsync(TimeSpan.FromSeconds(90));
            _api = new HttpClient { BaseAddress = _engine.BaseAddress };
            _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            _playwright = await Playwright.CreateAsync();
            // The other test classes run beside this one on two cores: give an expectation 10 s, not Playwright's 5.
            Assertions.SetDefaultExpectTimeout(10_000);
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
        }

        public async Task DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
            await _engine.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(_database);
            Directory.Delete(_workingDirectory, recursive: true);
        }

        public void Dispose() => _api.Dispose();

        public string NewId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _counter)}";

        public string Url(string hash) => new Uri(_engine.BaseAddress, "/" + hash).ToString();

        public async Task<IPage> SignedInPageAsync(int width = 1280, int height = 900)
        {
            var context = await _browser.NewContextAsync(new BrowserNewContextOptions
            {
                Locale = "en-US",
                ViewportSize = new ViewportSize { Width = width, Height = height },
                AcceptDownloads = true,
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync(Url("#/customers"));
            await page.GetByLabel("API key").FillAsync(Key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Customers");
            return page;
        }

        public Task ScreenshotAsync(IPage page, string name) =>
            page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

        public async Task SendAsync(HttpMethod method, string path, string body)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await _api.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        public async Task ApplyAsync(string customer, string invoice, string total)
        {
            using var response = await _api.PostAsync(
                new Uri($"/v1/customers/{customer}/invoices/{invoice}/apply-credits", UriKind.Relative),
                new StringContent($$"""{"currency":"USD","total":"{{total}}"}""", Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        public async Task<(string Available, string Pending)> BalanceAsync(string customer)
        {
            using var body = System.Text.Json.JsonDocument.Parse(await _api.GetStringAsync(new Uri($"/v1/customers/{customer}/credit-balances", UriKind.Relative)));
            var usd = body.RootElement.GetProperty("balances")[0];
            return (usd.GetProperty("available").GetString()!, usd.GetProperty("pending").GetString()!);
        }

        public async Task<int> EntryCountAsync(string customer)
        {
            using var body = System.Text.Json.JsonDocument.Parse(await _api.GetStringAsync(new Uri($"/v1/customers/{customer}/credit-transactions", UriKind.Relative)));
            return body.RootElement.GetProperty("data").GetArrayLength();
        }

        /// <summary>Waits until the report counts the customer's latest entries (it trails the ledger by a fraction of a second).</summary>
        public Task CatchUpReportAsync(string customer) => Eventually.UntilAsync(
            async () =>
            {
                using var body = System.Text.Json.JsonDocument.Parse(await _api.GetStringAsync(new Uri($"/v1/reports/credits?customerId={customer}", UriKind.Relative)));
                return body.RootElement.GetProperty("lagSeconds").GetDouble() == 0 && body.RootElement.GetProperty("rows").GetArrayLength() > 0;
            },
            TimeSpan.FromSeconds(30),
            "the report to count the customer's latest entries");
    }
}
