using System.Text.Json;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;

namespace CreditLedger.Grains.Tests;

/// <summary>Command builders for grain tests.</summary>
internal static class Commands
{
    public static readonly CommandContext Api = new("key:test", "api", "req_test", null);

    public static CommandContext WithKey(string key) => Api with { IdempotencyKey = key };

    public static GrantCommand Usd(decimal amount, DateTimeOffset? expiresAt = null, string reason = "Welcome credit") =>
        new(CreditType.Currency("USD"), amount, reason, null, GrantCategory.Promotional, null, expiresAt);

    public static IReadOnlyList<InvoiceLineRequest> Total(decimal total) => [new InvoiceLineRequest(CreditType.Currency("USD"), total)];

    public static async Task<ICustomerCreditGrain> CreatedAsync(this CustomerSilo silo, string customerId)
    {
        var grain = silo.Customer(customerId);
        var created = await grain.PutCustomerAsync(new CustomerDetails("Acme", "billing@acme.test"));
        Assert.Equal(CommandStatus.Created, created.Status);
        return grain;
    }

    public static async Task<GrantView> GrantedAsync(this ICustomerCreditGrain grain, GrantCommand command)
    {
        var result = await grain.GrantAsync(command, Api);
        Assert.True(result.Status == CommandStatus.Created, $"{result.Status}: {result.Error}");
        return result.Grant!;
    }

    /// <summary>Everything the customer shows (balances, grants, history) as one string: equal means the same state.</summary>
    public static async Task<string> DescribeAsync(this ICustomerCreditGrain grain)
    {
        var balances = await grain.GetBalancesAsync(30);
        var grants = await grain.ListGrantsAsync(null, null, 200);
        var history = await grain.GetHistoryAsync(null, null, 200);
        return JsonSerializer.Serialize(new { balances.Version, balances.Balances, grants.Grants, history.Entries });
    }
}
