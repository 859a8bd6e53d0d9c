using CreditLedger.Contracts.Customers;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// <c>/v1/customers/{customerId}/credit-top-ups/{creditType}</c>: the automatic top-up rule of a credit type, and the
/// requests the engine records under it.
/// </summary>
public static class CreditTopUpEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapCreditTopUpEndpoints(this RouteGroupBuilder v1)
    {
        var topUps = v1.MapGroup("/customers/{customerId}/credit-top-ups/{creditType}").WithTags("Credit programs");

        topUps.MapPut("/", PutAsync)
            .RequireScope(Scopes.CreditsWrite)
            .WithName("PutCreditTopUpRule")
            .WithSummary("Set the automatic top-up rule of a credit type")
            .WithDescription(
                "After each command or reminder that writes an entry of the credit type, if available is below `threshold` and no request is " +
                "outstanding, the same transaction records a top-up request for `targetBalance - available` and sends " +
                "`account.credits.top_up_requested`. Setting the rule never requests by itself. `targetBalance` must be above `threshold`.")
            .Accepts<TopUpRuleBody>("application/json")
            .Produces<TopUpRuleResponse>()
            .WithProblems(400, 404, 413, 415);

        topUps.MapGet("/", GetAsync)
            .RequireScope(Scopes.Read)
            .WithName("GetCreditTopUpRule")
            .WithSummary("Get the top-up rule of a credit type, with its outstanding request")
            .Produces<TopUpRuleResponse>()
            .WithProblems(400, 404);

        topUps.MapDelete("/", DeleteAsync)
            .RequireScope(Scopes.CreditsWrite)
            .WithName("DeleteCreditTopUpRule")
            .WithSummary("Remove the top-up rule of a credit type")
            .WithDescription("Answers the rule removed. An outstanding request can still be fulfilled or failed.")
            .Produces<TopUpRuleResponse>()
            .WithProblems(400, 404);

        topUps.MapGet("/requests/{requestId}", GetRequestAsync)
            .RequireScope(Scopes.Read)
            .WithName("GetCreditTopUpRequest")
            .WithSummary("Get a top-up request")
            .WithDescription("`status` is `outstanding`, `fulfilled` (with `grantId`) or `failed` (with `reason`).")
            .Produces<TopUpRequestResponse>()
            .WithProblems(400, 404);

        topUps.MapPost("/requests/{requestId}/fail", FailAsync)
            .RequireScope(Scopes.CreditsWrite)
            .WithName("FailCreditTopUpRequest")
            .WithSummary("Fail an outstanding top-up request")
            .WithDescription(
                "The charge failed: the request ends and the rule is armed again (the next entry below the threshold requests again). " +
                "Failing a failed request answers it again; a fulfilled one answers 409 `top_up_request_not_outstanding`. Accepts `Idempotency-Key`.")
            .Accepts<FailTopUpBody>("application/json")
            .Produces<TopUpRequestResponse>()
            .WithProblems(400, 404, 409, 413, 415);

        return v1;
    }

    private static async Task<Results<JsonHttpResult<TopUpRuleResponse>, JsonHttpResult<Problem>>> PutAsync(
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
            var fields = new RequestFields(document!.RootElement, "threshold", "targetBalance");
            var threshold = fields.Amount("threshold", fields.AmountText("threshold", required: true), type, allowZero: true);
            var target = fields.Amount("targetBalance", fields.AmountText("targetBalance", required: true), type, allowZero: false);
            if (threshold is { } low && target is { } high && high <= low)
            {
                fields.Error("targetBalance", "Must be above the threshold.");
            }

            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            return RuleAnswer(customerId, await grain!.PutTopUpRuleAsync(type, threshold!.Value, target!.Value));
        }
    }

    private static async Task<Results<JsonHttpResult<TopUpRuleResponse>, JsonHttpResult<Problem>>> GetAsync(string customerId, string creditType, IGrainFactory grains)
    {
        var (grain, type, badPath) = ApiRequest.CustomerCreditType(grains, customerId, creditType);
        return badPath ?? RuleAnswer(customerId, await grain!.GetTopUpRuleAsync(type));
    }

    private static async Task<Results<JsonHttpResult<TopUpRuleResponse>, JsonHttpResult<Problem>>> DeleteAsync(string customerId, string creditType, IGrainFactory grains)
    {
        var (grain, type, badPath) = ApiRequest.CustomerCreditType(grains, customerId, creditType);
        return badPath ?? RuleAnswer(customerId, await grain!.DeleteTopUpRuleAsync(type));
    }

    private static async Task<Results<JsonHttpResult<TopUpRequestResponse>, JsonHttpResult<Problem>>> GetRequestAsync(
        string customerId, string creditType, string requestId, HttpContext http, IGrainFactory grains)
    {
        var (grain, type, badPath) = ApiRequest.CustomerCreditType(grains, customerId, creditType);
        if ((badPath ?? ApiRequest.CheckId("requestId", requestId)) is { } bad)
        {
            return bad;
        }

        return RequestAnswer(http, customerId, await grain!.GetTopUpRequestAsync(type, requestId));
    }

    private static async Task<Results<JsonHttpResult<TopUpRequestResponse>, JsonHttpResult<Problem>>> FailAsync(
        string customerId, string creditType, string requestId, HttpContext http, IGrainFactory grains)
    {
        if (ApiRequest.CheckCreditType(creditType, out var type) is { } badType)
        {
            return badType;
        }

        var (request, problem) = await ApiRequest.ReadCommandAsync(http, grains, customerId, ("requestId", requestId));
        if (problem is not null)
        {
            return problem;
        }

        using (request)
        {
            var (reason, badReason) = RequestFields.ReasonOnly(request!.Body.RootElement);
            if (badReason is not null)
            {
                return badReason;
            }

            return RequestAnswer(http, customerId, await request.Grain.FailTopUpRequestAsync(type, requestId, reason!, request.Context));
        }
    }

    private static Results<JsonHttpResult<TopUpRuleResponse>, JsonHttpResult<Problem>> RuleAnswer(string customerId, TopUpRuleResult result) =>
        result.Rule is null
            ? Problems.Of(result.Status, result.Error)
            : TypedResults.Json(Responses.TopUpRule(customerId, result.Rule, result.Version), GatewayJsonContext.Default.TopUpRuleResponse);

    private static Results<JsonHttpResult<TopUpRequestResponse>, JsonHttpResult<Problem>> RequestAnswer(HttpContext http, string customerId, TopUpRequestResult result)
    {
        ApiRequest.MarkReplayed(http, result.Replayed);
        return result.Request is null
            ? Problems.Of(result.Status, result.Error)
            : TypedResults.Json(Responses.TopUpRequest(customerId, result.Request), GatewayJsonContext.Default.TopUpRequestResponse);
    }
}
