using System.Diagnostics;
using System.Text.Json;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using CreditLedger.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary><c>/v1/customers/{customerId}/invoices/{invoiceId}</c>: apply credits, pay, void, read.</summary>
public static class InvoiceEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapInvoiceEndpoints(this RouteGroupBuilder v1)
    {
        var invoice = v1.MapGroup("/customers/{customerId}/invoices/{invoiceId}").WithTags("Invoices");

        invoice.MapPost("/apply-credits", ApplyAsync)
            .RequireScope(Scopes.InvoicesWrite)
            .WithName("ApplyCredits")
            .WithSummary("Apply available credits to an invoice")
            .WithDescription("Per credit type, applies min(requested, available), soonest-expiring credits first, and reports what is due. Never fails for lack of credits. Idempotent by invoice id: the same request again returns the same body with `Idempotent-Replayed: true`; a different request for the same invoice is 409 invoice_already_applied.")
            .Accepts<ApplyBody>("application/json")
            .Produces<InvoiceResponse>()
            .WithProblems(400, 404, 409, 413, 415);

        invoice.MapPost("/pay", PayAsync)
            .RequireScope(Scopes.InvoicesWrite)
            .WithName("PayInvoice")
            .WithSummary("Mark an invoice paid: its pending credits become consumed")
            .WithDescription("Paying a paid invoice again answers it again; paying a voided invoice is 409 invoice_state_conflict. Accepts `Idempotency-Key`; no body.")
            .Produces<InvoiceResponse>()
            .WithProblems(400, 404, 409);

        invoice.MapPost("/void", VoidAsync)
            .RequireScope(Scopes.InvoicesWrite)
            .WithName("VoidInvoice")
            .WithSummary("Void an invoice: its applied credits return to their grants")
            .WithDescription("Credits returning to a grant that has expired or been voided since are expired or voided at once. Voiding a voided invoice again answers it again; voiding a paid invoice is 409 invoice_state_conflict. Accepts `Idempotency-Key`; no body.")
            .Produces<InvoiceResponse>()
            .WithProblems(400, 404, 409);

        invoice.MapGet("/", GetAsync)
            .RequireScope(Scopes.Read)
            .WithName("GetInvoice")
            .WithSummary("Get an invoice and the credits applied to it")
            .Produces<InvoiceResponse>()
            .WithProblems(400, 404);

        return v1;
    }

    private static async Task<Results<JsonHttpResult<InvoiceResponse>, JsonHttpResult<Problem>>> ApplyAsync(string customerId, string invoiceId, HttpContext http, IGrainFactory grains)
    {
        var (request, problem) = await ApiRequest.ReadCommandAsync(http, grains, customerId, ("invoiceId", invoiceId));
        if (problem is not null)
        {
            return problem;
        }

        using (request)
        {
            var fields = new RequestFields(request!.Body.RootElement, "currency", "total", "usage");
            var lines = ParseLines(fields);
            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            var metrics = http.RequestServices.GetRequiredService<EngineMetrics>();
            var started = Stopwatch.GetTimestamp();
            InvoiceResult result;
            try
            {
                result = await request.Grain.ApplyAsync(invoiceId, lines, request.Context);
            }
            catch
            {
                metrics.ApplyCompleted(started, "error");
                throw;
            }

            metrics.ApplyCompleted(started, result.Status == CommandStatus.Ok ? "ok" : "rejected");
            return InvoiceAnswer(http, customerId, result);
        }
    }

    private static List<InvoiceLineRequest> ParseLines(RequestFields fields)
    {
        var lines = new List<InvoiceLineRequest>();
        var hasCurrency = fields.Has("currency");
        var hasTotal = fields.Has("total");
        if (hasCurrency != hasTotal)
        {
            fields.Error(hasCurrency ? "total" : "currency", "currency and total go together.");
        }
        else if (hasCurrency)
        {
            var currency = fields.Currency("currency", required: true);

            if (fields.Amount("total", fields.AmountText("total", required: true), currency, allowZero: true) is { } total)
            {
                lines.Add(new InvoiceLineRequest(currency!.Value, total));
            }
        }

        var usage = fields.Array("usage", LedgerLimits.MaxCreditTypesPerInvoice - 1);
        if (!hasCurrency && !hasTotal && usage is null && !fields.Has("usage"))
        {
            fields.Error("body", "Send the invoice total (currency and total), usage, or both.");
        }

        for (var i = 0; usage is not null && i < usage.Count; i++)
        {
            var name = $"usage[{i}]";
            if (usage[i].ValueKind != JsonValueKind.Object)
            {
                fields.Error(name, "Must be an object with unit and quantity.");
                continue;
            }

            var item = new RequestFields(usage[i], "unit", "quantity");
            var unit = item.Unit("unit", required: true);

            var quantity = item.Amount("quantity", item.AmountText("quantity", required: true), unit, allowZero: true);
            if (unit is { } u && lines.Any(l => l.CreditType.Code == u.Code))
            {
                item.Error("unit", "Each unit may appear once per invoice.");
            }

            foreach (var (field, messages) in item.Errors)
            {
                fields.Error($"{name}.{field}", messages[0]);
            }

            if (item.IsValid)
            {
                lines.Add(new InvoiceLineRequest(unit!.Value, quantity!.Value));
            }
        }

        return lines;
    }

    private static Task<Results<JsonHttpResult<InvoiceResponse>, JsonHttpResult<Problem>>> PayAsync(string customerId, string invoiceId, HttpContext http, IGrainFactory grains) =>
        CloseAsync(customerId, invoiceId, http, grains, (grain, context) => grain.PayInvoiceAsync(invoiceId, context));

    private static Task<Results<JsonHttpResult<InvoiceResponse>, JsonHttpResult<Problem>>> VoidAsync(string customerId, string invoiceId, HttpContext http, IGrainFactory grains) =>
        CloseAsync(customerId, invoiceId, http, grains, (grain, context) => grain.VoidInvoiceAsync(invoiceId, context));

    private static async Task<Results<JsonHttpResult<InvoiceResponse>, JsonHttpResult<Problem>>> CloseAsync(
        string customerId, string invoiceId, HttpContext http, IGrainFactory grains, Func<ICustomerCreditGrain, CommandContext, Task<InvoiceResult>> close)
    {
        // No body is needed; an empty JSON object is accepted, anything else is an error.
        var (request, problem) = await ApiRequest.ReadCommandAsync(http, grains, customerId, ("invoiceId", invoiceId), bodyRequired: false);
        if (problem is not null)
        {
            return problem;
        }

        using (request)
        {
            var fields = new RequestFields(request!.Body.RootElement);
            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            return InvoiceAnswer(http, customerId, await close(request.Grain, request.Context));
        }
    }

    private static async Task<Results<JsonHttpResult<InvoiceResponse>, JsonHttpResult<Problem>>> GetAsync(string customerId, string invoiceId, HttpContext http, IGrainFactory grains)
    {
        var (grain, badId) = ApiRequest.Customer(grains, customerId);
        if ((badId ?? ApiRequest.CheckId("invoiceId", invoiceId)) is { } badPath)
        {
            return badPath;
        }

        return InvoiceAnswer(http, customerId, await grain!.GetInvoiceAsync(invoiceId));
    }

    private static Results<JsonHttpResult<InvoiceResponse>, JsonHttpResult<Problem>> InvoiceAnswer(HttpContext http, string customerId, InvoiceResult result)
    {
        ApiRequest.MarkReplayed(http, result.Replayed);
        return result.Invoice is null
            ? Problems.Of(result.Status, result.Error)
            : TypedResults.Json(Responses.Invoice(customerId, result.Invoice, result.Version), GatewayJsonContext.Default.InvoiceResponse);
    }
}
