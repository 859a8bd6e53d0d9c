using CreditLedger.Testing;
using Microsoft.Playwright;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// The API reference at <c>/docs</c> rendered by a real browser (Debian's Chromium, headless, driven by
/// Playwright) against the engine running as a process, without an API key. The screenshot is kept under
/// <c>screenshots/</c> in the test output folder.
/// </summary>
public sealed class DocsBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("creditledger-docs-").FullName;
    private string _connectionString = string.Empty;
    private GatewayProcess _gateway = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateMigratedDatabaseAsync("docs");
        _gateway = GatewayProcess.Start(_workingDirectory, new Dictionary<string, string>
        {
            ["ConnectionStrings__Ledger"] = _connectionString,
            ["CreditLedger__Auth__BootstrapKey"] = "clk_docs_browser_test_key_0123456789abcdef",
        });
        await _gateway.WaitUntilStartedAsync(StartTimeout);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_connectionString);
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task Docs_InHeadlessChromium_RendersTheApiReferenceWithoutAKey()
    {
        Assert.True(File.Exists(Chromium), $"Browser tests need Chromium at {Chromium} (apt-get install chromium).");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

        var response = await page.GotoAsync(new Uri(_gateway.BaseAddress, "/docs/").ToString());
        await page.GetByText("Grant credits to a customer").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots.FullName, "docs.png"), FullPage = false });

        Assert.Equal(200, response!.Status);
        Assert.Equal("CreditLedger API", await page.TitleAsync());
        Assert.True(await page.GetByText("Apply available credits to an invoice").CountAsync() > 0, "The reference lists the apply-credits operation.");
    }
}
