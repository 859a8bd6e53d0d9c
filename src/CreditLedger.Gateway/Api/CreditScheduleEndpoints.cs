using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary><c>/v1/customers/{customerId}/credit-schedules</c>: recurring grants; create, list, read and cancel.</summary>
public static class CreditScheduleEndpoints
{
    private const string CursorKind = "schedules";

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapCreditScheduleEndpoints(this RouteGroupBuilder v1)
    {
        var schedules = v1.MapGroup("/customers/{customerId}/credit-schedules").WithTags("Credit programs");

        schedules.MapPost("/", CreateAsync)
            .RequireScope(Scopes.CreditsWrite)
            .WithName("CreateCreditSchedule")
            .WithSummary("Create a recurring grant")
            .WithDescription(
                "At the start of each period (`startsAt + k x every`) the engine grants `amount`, expiring when the next period starts; with `rollover`, " +
                "up to `maxAmount` of the ending period's own grant is granted again into the next. Periods that have started are granted in the same " +
                "transaction as the schedule. Each period is granted exactly once, at its instant: reads and commands at or after a boundary see it " +
                "without waiting for a reminder. At most 100 active schedules per customer. Accepts `Idempotency-Key`.")
            .Accepts<ScheduleBody>("application/json")
            .Produces<ScheduleResponse>(StatusCodes.Status201Created)
            .WithProblems(400, 404, 409, 413, 415);

        schedules.MapGet("/", ListAsync)
            .RequireScope(Scopes.Read)
            .WithName("ListCreditSchedules")
            .WithSummary("List a customer's credit schedules, in creation order")
            .WithDescription("Page with `limit` and `cursor`. Cancelled and completed schedules are listed too.")
            .Produces<SchedulePage>()
            .WithProblems(400, 404);

        schedules.MapGet("/{scheduleId}", GetAsync)
            .RequireScope(Scopes.Read)
            .WithName("GetCreditSchedule")
            .WithSummary("Get one credit schedule")
            .Produces<ScheduleResponse>()
            .WithProblems(400, 404);

        schedules.MapPost("/{scheduleId}/cancel", CancelAsync)
            .RequireScope(Scopes.CreditsWrite)
            .WithName("CancelCreditSchedule")
            .WithSummary("Cancel a credit schedule")
            .WithDescription(
                "No period starting later is granted; grants already made stay and expire at their end. A cancel at or after a boundary records " +
                "that boundary's period first. Cancelling a schedule that is not active answers 409 `schedule_not_active`. A reason is required. " +
                "Accepts `Idempotency-Key`.")
            .Accepts<CancelScheduleBody>("application/json")
            .Produces<ScheduleResponse>()
            .WithProblems(400, 404, 409, 413, 415);

        return v1;
    }

    private static async Task<Results<JsonHttpResult<ScheduleResponse>, JsonHttpResult<Problem>>> CreateAsync(string customerId, HttpContext http, IGrainFactory grains)
    {
        var (request, problem) = await ApiRequest.ReadCommandAsync(http, grains, customerId);
        if (problem is not null)
        {
            return problem;
        }

        using (request)
        {
            var fields = new RequestFields(
                request!.Body.RootElement, "type", "amount", "currency", "unit", "reason", "every", "startsAt", "periods", "rollover", "priority", "category");
            var command = ParseSchedule(fields);
            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            return Answer(http, customerId, await request.Grain.CreateScheduleAsync(command!, request.Context));
        }
    }

    private static ScheduleCommand? ParseSchedule(RequestFields fields)
    {
        var creditType = GrantEndpoints.CreditTypeOf(fields);
        var amount = fields.Amount("amount", fields.AmountText("amount", required: true), creditType, allowZero: false);
        var reason = fields.Text("reason", required: true, LedgerLimits.MaxReasonLength);
        var everyText = fields.Text("every", required: true, 64);
        if (everyText is not null && !ScheduleInterval.TryParse(everyText, out _, out var everyError))
        {
            fields.Error("every", everyError);
        }

        var startsAt = fields.Timestamp("startsAt");
        var periods = fields.WholeNumber("periods", 1, LedgerLimits.MaxSchedulePeriods);
        decimal? rolloverMax = null;
        if (fields.Nested("rollover", "maxAmount") is { } rollover)
        {
            rolloverMax = rollover.Amount("maxAmount", rollover.AmountText("maxAmount", required: true), creditType, allowZero: false);
            fields.Absorb("rollover", rollover);
        }

        var priority = fields.WholeNumber("priority", LedgerLimits.MinPriority, LedgerLimits.MaxPriority);
        var category = GrantEndpoints.CategoryOf(fields);
        return fields.IsValid
            ? new ScheduleCommand(creditType!.Value, amount!.Value, reason!, priority, category, everyText!, startsAt, periods, rolloverMax)
            : null;
    }

    private static async Task<Results<JsonHttpResult<SchedulePage>, JsonHttpResult<Problem>>> ListAsync(string customerId, HttpRequest request, IGrainFactory grains)
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

        if (!Cursor.TryRead(request, CursorKind, out string? after, out var badCursor))
        {
            return badCursor!;
        }

        var result = await grain!.ListSchedulesAsync(after, limit);
        if (result.Status != CommandStatus.Ok)
        {
            return Problems.Of(result.Status, result.Error);
        }

        var next = result.NextAfter is { } nextAfter ? Cursor.Encode(CursorKind, nextAfter) : null;
        var body = new SchedulePage(result.Schedules.Select(s => Responses.Schedule(customerId, s, result.Version)).ToList(), next, result.Version);
        return TypedResults.Json(body, GatewayJsonContext.Default.SchedulePage);
    }

    private static async Task<Results<JsonHttpResult<ScheduleResponse>, JsonHttpResult<Problem>>> GetAsync(string customerId, string scheduleId, HttpContext http, IGrainFactory grains)
    {
        var (grain, badId) = ApiRequest.Customer(grains, customerId);
        if ((badId ?? ApiRequest.CheckId("scheduleId", scheduleId)) is { } badPath)
        {
            return badPath;
        }

        return Answer(http, customerId, await grain!.GetScheduleAsync(scheduleId));
    }

    private static async Task<Results<JsonHttpResult<ScheduleResponse>, JsonHttpResult<Problem>>> CancelAsync(string customerId, string scheduleId, HttpContext http, IGrainFactory grains)
    {
        var (request, problem) = await ApiRequest.ReadCommandAsync(http, grains, customerId, ("scheduleId", scheduleId));
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

            return Answer(http, customerId, await request.Grain.CancelScheduleAsync(scheduleId, reason!, request.Context));
        }
    }

    private static Results<JsonHttpResult<ScheduleResponse>, JsonHttpResult<Problem>> Answer(HttpContext http, string customerId, ScheduleResult result)
    {
        ApiRequest.MarkReplayed(http, result.Replayed);
        if (result.Schedule is null)
        {
            return Problems.Of(result.Status, result.Error);
        }

        var body = Responses.Schedule(customerId, result.Schedule, result.Version);
        return TypedResults.Json(body, GatewayJsonContext.Default.ScheduleResponse, statusCode: CommandStatusCodes.HttpStatus(result.Status));
    }
}
