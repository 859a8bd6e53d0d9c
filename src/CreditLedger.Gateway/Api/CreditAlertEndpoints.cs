using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary><c>/v1/customers/{customerId}/credit-alerts/{creditType}</c>: the low-balance threshold of a credit type.</summary>
public static class CreditAlertEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapCreditAlertEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPut("/customers/{customerId}/credit-alerts/{creditType}", PutAsync)
            .WithTags("Webhooks")
            .RequireScope(Scopes.CreditsWrite)
            .WithName("PutCreditAlert")
            .WithSummary("Set a low-balance threshold")
            .WithDescription("When available of the credit type drops from at or above the threshold to below it, account.credits.balance_low is sent (again after it has been back at or above).")
            .Accepts<CreditAlertBody>("application/json")
            .Produces<CreditAlertResponse>()
            .WithProblems(400, 404, 413, 415);
        return v1;
    }

    private static async Task<Results<JsonHttpResult<CreditAlertResponse>, JsonHttpResult<Problem>>> PutAsync(
        string customerId, string creditType, HttpRequest request, IGrainFactory grains)
    {
        var (grain, type, badPath) = ApiRequest.CustomerCreditType(grains, customerId, creditType);
        if (badPath is not null)
        {
            return badPath;
        }

        var (document, problem) = await RequestBody.ReadAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var fields = new RequestFields(document!.RootElement, "threshold");
            var threshold = fields.Amount("threshold", fields.AmountText("threshold", required: true), type, allowZero: true);
            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            var result = await grain!.SetCreditAlertAsync(type, threshold!.Value);
            return result.Status == CommandStatus.Ok
                ? TypedResults.Json(
                    new CreditAlertResponse(customerId, result.CreditType, AmountText.Format(result.Threshold!.Value, type), result.Version),
                    GatewayJsonContext.Default.CreditAlertResponse)
                : Problems.Of(result.Status, result.Error);
        }
    }
}
