using System.Net;
using CreditLedger.Contracts;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Gateway.Tests.Api;
using CreditLedger.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditLedger.Gateway.Tests.Webhooks;

/// <summary>
/// Nothing is lost: a host stopped while a delivery is in flight leaves the endpoint's checkpoint before it, so the
/// next host's worker delivers it again with the same webhook-id; and 10,000 events written under concurrent load all
/// arrive.
/// </summary>
public sealed class WebhookDurabilityTests
{
    private static readonly IEnumerable<KeyValuePair<string, string?>> FastDispatch =
    [
        new("CreditLedger:Webhooks:AllowPrivateTargets", "true"),
        new("CreditLedger:Webhooks:RetrySchedule", "100ms,100ms,100ms"),
        new("CreditLedger:Webhooks:PollInterval", "00:00:00.050"),
        new("CreditLedger:Webhooks:Timeout", "00:00:02"),
    ];

    [Fact]
    public async Task HostStoppedMidDelivery_NextHostDeliversEveryEvent()
    {
        var database = await TestPostgres.CreateMigratedDatabaseAsync("webhook-restart");
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Set("held", new WebhookReceiver.Behaviour(Hold: true));
        string customer;
        IReadOnlyCollection<string> eventIds;

        var first = new Host(database);
        await first.InitializeAsync();
        try
        {
            using var http = first.Client();
            await (await http.PostAsync("/v1/webhook-endpoints", ApiFixture.Json(new { url = receiver.Url("held").ToString() }))).JsonAsync(HttpStatusCode.Created);
            customer = await first.CustomerAsync("restart");
            for (var i = 0; i < 3; i++)
            {
                await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"5.00","currency":"EUR","reason":"Gift"}""")))
                    .JsonAsync(HttpStatusCode.Created);
            }

            eventIds = await EventIdsAsync(first, customer);
            await Eventually.UntilAsync(() => Task.FromResult(receiver.For("held").Any()), TimeSpan.FromSeconds(30), "a delivery to be in flight");
        }
        finally
        {
            await first.DisposeAsync();
        }

        receiver.Set("held", WebhookReceiver.Behaviour.Accept);
        receiver.Release();
        var second = new Host(database);
        await second.InitializeAsync();
        try
        {
            var held = receiver.For("held").First().Headers["webhook-id"];
            await Eventually.UntilAsync(
                () => Task.FromResult(eventIds.All(id => receiver.For("held").Any(r => r.Headers["webhook-id"] == id))
                    && receiver.For("held").Count(r => r.Headers["webhook-id"] == held) >= 2),
                TimeSpan.FromSeconds(30),
                "every event to arrive after the restart, the one in flight at the stop again");
            Assert.Equal(3, eventIds.Count);
        }
        finally
        {
            await second.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Events_10000UnderConcurrentLoad_AllArrive()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var host = new Host(existing: null);
        await host.InitializeAsync();
        try
        {
            using var http = host.Client();
            await (await http.PostAsync("/v1/webhook-endpoints", ApiFixture.Raw($$"""{"url":"{{receiver.Url("bulk")}}","events":["account.credits.granted"]}""")))
                .JsonAsync(HttpStatusCode.Created);
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var customers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => host.CustomerAsync("bulk")));

            await Task.WhenAll(customers.Select(async customer =>
            {
                var grain = grains.GetGrain<ICustomerCreditGrain>(GrainKeys.ForCustomer(CustomerId.Parse(customer)));
                for (var i = 0; i < 100; i++)
                {
                    var result = await grain.GrantAsync(new GrantCommand(CreditType.Parse("api_calls"), 10m, "Load", null, GrantCategory.Paid, null, null), new CommandContext("key:load", "api", null, null));
                    Assert.Equal(CommandStatus.Created, result.Status);
                }
            }));

            var expected = (await host.StringsAsync("SELECT event_id FROM credit_events WHERE event_type = 'account.credits.granted'")).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(10_000, expected.Count);
            await Eventually.UntilAsync(
                () => Task.FromResult(receiver.For("bulk").Select(r => r.Headers["webhook-id"]).Distinct().Count() >= expected.Count),
                TimeSpan.FromSeconds(120),
                "10,000 events at the receiver");
            var received = receiver.For("bulk").Select(r => r.Headers["webhook-id"]).ToHashSet(StringComparer.Ordinal);
            Assert.Empty(expected.Except(received));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<IReadOnlyCollection<string>> EventIdsAsync(ApiFixture host, string customer) =>
        await host.StringsAsync($"SELECT event_id FROM credit_events WHERE customer_id = '{customer}'");

    private sealed class Host(string? existing) : ApiFixture
    {
        protected override string? ExistingDatabase => existing;

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => FastDispatch;
    }
}
