using CreditLedger.Contracts.Customers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// Every error the API answers, as <c>application/problem+json</c> with a stable <c>code</c>. Business outcomes
/// of the grains map here in one function (<see cref="Of"/>); the HTTP status of each comes from
/// <see cref="CommandStatusCodes"/>.
/// </summary>
public static class Problems
{
    /// <summary>The media type of problem details.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>Every problem code with its status and title, as the API documents them.</summary>
    public static IReadOnlyDictionary<string, (int Status, string Title)> Catalog { get; } = new Dictionary<string, (int, string)>(StringComparer.Ordinal)
    {
        ["validation_failed"] = (400, "The request is not valid"),
        ["unauthenticated"] = (401, "A valid API key is required"),
        ["forbidden"] = (403, "The API key lacks the scope this needs"),
        ["not_found"] = (404, "No such resource"),
        ["customer_not_found"] = (404, "Customer not found"),
        ["grant_not_found"] = (404, "Grant not found"),
        ["invoice_not_found"] = (404, "Invoice not found"),
        ["schedule_not_found"] = (404, "Credit schedule not found"),
        ["top_up_rule_not_found"] = (404, "Top-up rule not found"),
        ["top_up_request_not_found"] = (404, "Top-up request not found"),
        ["api_key_not_found"] = (404, "API key not found"),
        ["webhook_endpoint_not_found"] = (404, "Webhook endpoint not found"),
        ["method_not_allowed"] = (405, "Method not allowed"),
        ["idempotency_key_reused"] = (409, "Idempotency key used with a different request"),
        ["invoice_already_applied"] = (409, "Invoice already has credits applied"),
        ["invoice_state_conflict"] = (409, "Invoice state does not allow this"),
        ["grant_not_active"] = (409, "Grant is not active"),
        ["grant_limit_reached"] = (409, "Grant limit reached"),
        ["pending_invoice_limit_reached"] = (409, "Unpaid invoice limit reached"),
        ["schedule_not_active"] = (409, "Credit schedule is not active"),
        ["schedule_limit_reached"] = (409, "Credit schedule limit reached"),
        ["top_up_request_not_outstanding"] = (409, "Top-up request is not outstanding"),
        ["payload_too_large"] = (413, "Request body too large"),
        ["unsupported_media_type"] = (415, "Request body must be JSON"),
        ["rate_limited"] = (429, "Too many requests"),
        ["internal_error"] = (500, "Internal error"),
        ["unavailable"] = (503, "Temporarily unavailable; retry with the same idempotency key or invoice id"),
    };

    /// <summary>The problem of a grain's business outcome. Only for non-success statuses.</summary>
    public static JsonHttpResult<Problem> Of(CommandStatus status, CommandError? error)
    {
        var code = CommandStatusCodes.ErrorCode(status)
            ?? throw new ArgumentException($"{status} is a success, not a problem.", nameof(status));
        var detail = error?.Detail ?? Catalog[code].Title;
        return status == CommandStatus.InvalidRequest
            ? Validation(error?.Field ?? "body", detail)
            : Create(code, detail);
    }

    /// <summary>A 400 <c>validation_failed</c> naming one field.</summary>
    public static JsonHttpResult<Problem> Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    /// <summary>A 400 <c>validation_failed</c> with messages per field.</summary>
    public static JsonHttpResult<Problem> Validation(IReadOnlyDictionary<string, string[]> errors)
    {
        var first = errors.First();
        var detail = errors.Count == 1
            ? $"{first.Key}: {first.Value[0]}"
            : $"{errors.Count} fields are not valid: {string.Join(", ", errors.Keys)}.";
        return Create("validation_failed", detail, errors);
    }

    /// <summary>A problem with a code from <see cref="Catalog"/>.</summary>
    public static JsonHttpResult<Problem> Create(string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var (status, title) = Catalog[code];
        return TypedResults.Json(Body(code, detail, errors), GatewayJsonContext.Default.Problem, ContentType, status);
    }

    /// <summary>The body of a problem with a code from <see cref="Catalog"/>.</summary>
    public static Problem Body(string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var (status, title) = Catalog[code];
        return new Problem($"urn:creditledger:problem:{code}", title, status, detail, code, errors);
    }

    /// <summary>Writes a problem directly to a response (for middleware, authentication and rate limiting).</summary>
    public static Task WriteAsync(HttpContext context, string code, string detail)
    {
        var body = Body(code, detail);
        context.Response.StatusCode = body.Status;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsJsonAsync(body, GatewayJsonContext.Default.Problem, ContentType, context.RequestAborted);
    }
}
