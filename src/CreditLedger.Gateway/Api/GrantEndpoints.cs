using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary><c>/v1/customers/{customerId}/credit-grants</c>: grant credits, list and read grants, void a grant.</summary>
public static class GrantEndpoints
{
    private const string CursorKind = "grants";

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapGrantEndpoints(this RouteGroupBuilder v1)
    {
        var grants = v1.MapGroup("/customers/{customerId}/credit-grants").WithTags("Credit grants");

        grants.MapPost("/", CreateAsync)
            .RequireScope(Scopes.CreditsWrite)
            .WithName("CreateCreditGrant")
            .WithSummary("Grant credits to a customer")
            .WithDescription("Money in a currency (`type: monetary`, `currency`) or units (`type: units`, `unit`), with a reason, an optional expiry, priority and category. With `topUpRequestId` the grant fulfils that outstanding top-up request of its credit type (409 `top_up_request_not_outstanding` otherwise). Accepts `Idempotency-Key`.")
            .Accepts<GrantBody>("application/json")
            .Produces<GrantResponse>(StatusCodes.Status201Created)
            .WithProblems(400, 404, 409, 413, 415);

        grants.MapGet("/", ListAsync)
            .RequireScope(Scopes.Read)
            .WithName("ListCreditGrants")
            .WithSummary("List a customer's grants, newest first")
            .WithDescription("Filter with `status` (scheduled, active, depleted, expired, voided); page with `limit` and `cursor`.")
            .Produces<GrantPage>()
            .WithProblems(400, 404);

        grants.MapGet("/{grantId}", GetAsync)
            .RequireScope(Scopes.Read)
            .WithName("GetCreditGrant")
            .WithSummary("Get one grant")
            .Produces<GrantResponse>()
            .WithProblems(400, 404);

        grants.MapPost("/{grantId}/void", VoidAsync)
            .RequireScope(Scopes.CreditsWrite)
            .WithName("VoidCreditGrant")
            .WithSummary("Void a grant")
            .WithDescription("Removes the grant's remaining credits now (`voidedAmount`); credits already applied to invoices stand. A reason is required. Accepts `Idempotency-Key`.")
            .Accepts<VoidGrantBody>("application/json")
            .Produces<GrantResponse>()
            .WithProblems(400, 404, 409, 413, 415);

        return v1;
    }

    private static async Task<Results<JsonHttpResult<GrantResponse>, JsonHttpResult<Problem>>> CreateAsync(string customerId, HttpContext http, IGrainFactory grains)
    {
        var (request, problem) = await ApiRequest.ReadCommandAsync(http, grains, customerId);
        if (problem is not null)
        {
            return problem;
        }

        using (request)
        {
            var fields = new RequestFields(
                request!.Body.RootElement, "type", "amount", "currency", "unit", "reason", "expiresAt", "effectiveAt", "priority", "category", "topUpRequestId");
            var command = ParseGrant(fields);
            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            return GrantAnswer(http, customerId, await request.Grain.GrantAsync(command!, request.Context));
        }
    }

    private static GrantCommand? ParseGrant(RequestFields fields)
    {
        var creditType = CreditTypeOf(fields);
        var amount = fields.Amount("amount", fields.AmountText("amount", required: true), creditType, allowZero: false);
        var reason = fields.Text("reason", required: true, LedgerLimits.MaxReasonLength);
        var expiresAt = fields.Timestamp("expiresAt");
        var effectiveAt = fields.Timestamp("effectiveAt");
        var priority = fields.WholeNumber("priority", LedgerLimits.MinPriority, LedgerLimits.MaxPriority);
        var category = CategoryOf(fields);
        var topUpRequestId = fields.Text("topUpRequestId", required: false, LedgerLimits.MaxIdLength);
        if (topUpRequestId is not null && !ResourceId.IsValid(topUpRequestId, out var idError))
        {
            fields.Error("topUpRequestId", idError);
        }

        if (expiresAt is { } expires && effectiveAt is { } effective && expires <= effective)
        {
            fields.Error("expiresAt", "Must be later than effectiveAt.");
        }

        return fields.IsValid
            ? new GrantCommand(creditType!.Value, amount!.Value, reason!, priority, category, effectiveAt, expiresAt, topUpRequestId)
            : null;
    }

    /// <summary>The credit type of a body with <c>type</c> and <c>currency</c> (monetary) or <c>unit</c> (units).</summary>
    internal static CreditType? CreditTypeOf(RequestFields fields)
    {
        var type = fields.OneOf("type", required: true, "monetary", "units");
        CreditType? creditType = null;
        if (type == "monetary")
        {
            if (fields.Has("unit"))
            {
                fields.Error("unit", "Only unit grants have a unit; monetary grants have a currency.");
            }

            creditType = fields.Currency("currency", required: true);
        }
        else if (type == "units")
        {
            if (fields.Has("currency"))
            {
                fields.Error("currency", "Only monetary grants have a currency; unit grants have a unit.");
            }

            creditType = fields.Unit("unit", required: true);
        }

        return creditType;
    }

    /// <summary>The <c>category</c> of a body: absent, or refused with the error recorded, is paid.</summary>
    internal static GrantCategory CategoryOf(RequestFields fields)
    {
        _ = WireNames.TryParseCategory(
            fields.OneOf("category", required: false, WireNames.Of(GrantCategory.Paid), WireNames.Of(GrantCategory.Promotional)), out var category);
        return category;
    }

    private static async Task<Results<JsonHttpResult<GrantPage>, JsonHttpResult<Problem>>> ListAsync(string customerId, HttpRequest request, IGrainFactory grains)
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

        var statusText = request.Query["status"].ToString();
        GrantStatus? status = null;
        if (statusText.Length > 0)
        {
            if (!WireNames.TryParseGrantStatus(statusText, out var parsed))
            {
                return Problems.Validation("status", "Must be one of: scheduled, active, depleted, expired, voided.");
            }

            status = parsed;
        }

        if (!Cursor.TryRead(request, CursorKind, out long? before, out var badCursor))
        {
            return badCursor!;
        }

        var result = await grain!.ListGrantsAsync(status, before, limit);
        if (result.Status != CommandStatus.Ok)
        {
            return Problems.Of(result.Status, null);
        }

        var next = result.NextBeforeVersion is { } nextVersion ? Cursor.Encode(CursorKind, nextVersion) : null;
        var body = new GrantPage(result.Grants.Select(g => Responses.Grant(customerId, g, result.Version)).ToList(), next, result.Version);
        return TypedResults.Json(body, GatewayJsonContext.Default.GrantPage);
    }

    private static async Task<Results<JsonHttpResult<GrantResponse>, JsonHttpResult<Problem>>> GetAsync(string customerId, string grantId, HttpContext http, IGrainFactory grains)
    {
        var (grain, badId) = ApiRequest.Customer(grains, customerId);
        if ((badId ?? ApiRequest.CheckId("grantId", grantId)) is { } badPath)
        {
            return badPath;
        }

        return GrantAnswer(http, customerId, await grain!.GetGrantAsync(grantId));
    }

    private static async Task<Results<JsonHttpResult<GrantResponse>, JsonHttpResult<Problem>>> VoidAsync(string customerId, string grantId, HttpContext http, IGrainFactory grains)
    {
        var (request, problem) = await ApiRequest.ReadCommandAsync(http, grains, customerId, ("grantId", grantId));
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

            return GrantAnswer(http, customerId, await request.Grain.VoidGrantAsync(grantId, reason!, request.Context));
        }
    }

    private static Results<JsonHttpResult<GrantResponse>, JsonHttpResult<Problem>> GrantAnswer(HttpContext http, string customerId, GrantResult result)
    {
        ApiRequest.MarkReplayed(http, result.Replayed);
        if (result.Grant is null)
        {
            return Problems.Of(result.Status, result.Error);
        }

        var body = Responses.Grant(customerId, result.Grant, result.Version, result.VoidedAmount);
        return TypedResults.Json(body, GatewayJsonContext.Default.GrantResponse, statusCode: CommandStatusCodes.HttpStatus(result.Status));
    }
}
