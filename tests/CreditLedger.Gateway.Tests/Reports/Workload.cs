using CreditLedger.Contracts;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;

namespace CreditLedger.Gateway.Tests.Reports;

/// <summary>
/// Concurrent grants, applies, pays, voids and expiries across many customers and three credit types, through
/// the customer grains: every kind of ledger entry, several per customer, written at once.
/// </summary>
internal static class Workload
{
    private static readonly CommandContext Context = new("key:workload", "api", null, null);

    public static async Task RunAsync(IGrainFactory grains, IReadOnlyList<string> customers, DateTimeOffset shortExpiry)
    {
        await Task.WhenAll(customers.Select((customer, i) => FirstRoundAsync(Grain(grains, customer), i, shortExpiry)));
        while (DateTimeOffset.UtcNow <= shortExpiry)
        {
            await Task.Delay(50);
        }

        // Commands after the short grants expired record their expiries first.
        await Task.WhenAll(customers.Select((customer, i) => SecondRoundAsync(Grain(grains, customer), i)));
    }

    private static ICustomerCreditGrain Grain(IGrainFactory grains, string customer) =>
        grains.GetGrain<ICustomerCreditGrain>(GrainKeys.ForCustomer(CustomerId.Parse(customer)));

    private static async Task FirstRoundAsync(ICustomerCreditGrain grain, int i, DateTimeOffset shortExpiry)
    {
        await Ok(grain.GrantAsync(new GrantCommand(CreditType.Parse("USD"), 100m + i, "Prepaid", null, GrantCategory.Paid, null, null), Context));
        await Ok(grain.GrantAsync(new GrantCommand(CreditType.Parse("EUR"), 20.5m, "Promo", 10, GrantCategory.Promotional, null, shortExpiry), Context));
        await Ok(grain.GrantAsync(new GrantCommand(CreditType.Parse("api_calls"), 5_000.25m, "Package", null, GrantCategory.Paid, null, null), Context));
        var voidable = await Ok(grain.GrantAsync(new GrantCommand(CreditType.Parse("USD"), 7.77m, "Mistake", null, GrantCategory.Paid, null, null), Context));
        await Ok(grain.ApplyAsync("inv_a", [new InvoiceLineRequest(CreditType.Parse("USD"), 33.33m), new InvoiceLineRequest(CreditType.Parse("api_calls"), 1_234.5m)], Context));
        await Ok(grain.ApplyAsync("inv_b", [new InvoiceLineRequest(CreditType.Parse("EUR"), 4.1m)], Context));
        await Ok(grain.PayInvoiceAsync("inv_a", Context));
        if (i % 3 == 0)
        {
            await Ok(grain.VoidInvoiceAsync("inv_b", Context));
        }

        await Ok(grain.VoidGrantAsync(voidable.Grant!.GrantId, "Duplicate", Context));
    }

    private static async Task SecondRoundAsync(ICustomerCreditGrain grain, int i)
    {
        await Ok(grain.ApplyAsync("inv_c", [new InvoiceLineRequest(CreditType.Parse("EUR"), 1m), new InvoiceLineRequest(CreditType.Parse("USD"), 10m + (i % 7))], Context));
        if (i % 2 == 0)
        {
            await Ok(grain.PayInvoiceAsync("inv_c", Context));
        }
    }

    private static async Task<GrantResult> Ok(Task<GrantResult> call)
    {
        var result = await call;
        Assert.True(result.Status is CommandStatus.Created or CommandStatus.Ok, $"{result.Status}: {result.Error}");
        return result;
    }

    private static async Task Ok(Task<InvoiceResult> call)
    {
        var result = await call;
        Assert.True(result.Status == CommandStatus.Ok, $"{result.Status}: {result.Error}");
    }
}
