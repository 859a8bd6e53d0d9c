using System.Globalization;
using CreditLedger.Domain;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary><c>/v1/customers/{customerId}/credit-balances</c> and <c>/credit-transactions</c>: balances now, and the history newest first.</summary>
public static class BalanceEndpoints
{
    private const string CursorKind = "transactions";

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapBalanceEndpoints(this RouteGroupBuilder v1)
    {
        var customer = v1.MapGroup("/customers/{customerId}").WithTags("Balances and history");

        customer.MapGet("/credit-balances", GetBalancesAsync)
            .RequireScope(Scopes.Read)
            .WithName("GetCreditBalances")
            .WithSummary("Get a customer's balances per credit type")
            .WithDescription("Available, pending, expiring soon (available credits whose grant expires within `expiringWithinDays` x 24 h, 1-365, default 30), and the totals granted, consumed, expired and voided.")
            .Produces<BalancesResponse>()
            .WithProblems(400, 404);

        customer.MapGet("/credit-transactions", GetTransactionsAsync)
            .RequireScope(Scopes.Read)
            .WithName("ListCreditTransactions")
            .WithSummary("List a customer's ledger entries, newest first")
            .WithDescription("Every change as an immutable entry: kind, grant, signed amount, available after, invoice, reason, actor. Filter with `creditType`; page with `limit` and `cursor`.")
            .Produces<TransactionPage>()
            .WithProblems(400, 404);

        return v1;
    }

    /// <summary>Reads <c>?expiringWithinDays=</c>: 1-365, default 30.</summary>
    public static bool TryExpiringWithinDays(HttpRequest request, out int days, out JsonHttpResult<Problem>? problem)
    {
        problem = null;
        days = LedgerLimits.DefaultExpiringWithinDays;
        var text = request.Query["expiringWithinDays"].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days < 1 || days > LedgerLimits.MaxExpiringWithinDays)
        {
            problem = Problems.Validation("expiringWithinDays", $"Must be a whole number from 1 to {LedgerLimits.MaxExpiringWithinDays}.");
            return false;
        }

        return true;
    }

    private static async Task<Results<JsonHttpResult<BalancesResponse>, JsonHttpResult<Problem>>> GetBalancesAsync(string customerId, HttpRequest request, IGrainFactory grains)
    {
        var (grain, badId) = ApiRequest.Customer(grains, customerId);
        if (badId is not null)
        {
            return badId;
        }

        if (!TryExpiringWithinDays(request, out var days, out var badDays))
        {
            return badDays!;
        }

        var result = await grain!.GetBalancesAsync(days);
        if (result.Status != Contracts.Customers.CommandStatus.Ok)
        {
            return Problems.Of(result.Status, null);
        }

        var body = new BalancesResponse(customerId, result.AsOf, result.Version, result.Balances.Select(b => Responses.Balance(b, days)).ToList());
        return TypedResults.Json(body, GatewayJsonContext.Default.BalancesResponse);
    }

    private static async Task<Results<JsonHttpResult<TransactionPage>, JsonHttpResult<Problem>>> GetTransactionsAsync(string customerId, HttpRequest request, IGrainFactory grains)
    {
        var (grain, badId) = ApiRequest.Customer(grains, customerId);
        if (badId is not null)
        {
            return badId;
        }

        if (!ApiRequest.TryLimit(request, out var limit, out var badLimit))
        {
            return badLimit!;
        }

        var creditTypeText = request.Query["creditType"].ToString();
        CreditType? creditType = null;
        if (creditTypeText.Length > 0)
        {
            if (!CreditType.TryParse(creditTypeText, out var parsed, out var typeError))
            {
                return Problems.Validation("creditType", typeError);
            }

            creditType = parsed;
        }

        if (!Cursor.TryRead(request, CursorKind, out long? before, out var badCursor))
        {
            return badCursor!;
        }

        var result = await grain!.GetHistoryAsync(creditType, before, limit);
        if (result.Status != Contracts.Customers.CommandStatus.Ok)
        {
            return Problems.Of(result.Status, null);
        }

        var next = result.NextBeforeVersion is { } nextVersion ? Cursor.Encode(CursorKind, nextVersion) : null;
        var body = new TransactionPage(result.Entries.Select(Responses.Transaction).ToList(), next, result.Version);
        return TypedResults.Json(body, GatewayJsonContext.Default.TransactionPage);
    }
}
