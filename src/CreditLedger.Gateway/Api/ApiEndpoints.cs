using CreditLedger.Contracts.Customers;
using CreditLedger.Gateway.Auth;
using Microsoft.AspNetCore.Diagnostics;

namespace CreditLedger.Gateway.Api;

/// <summary>The HTTP API v1 as a whole: its routes, and the errors no route answers itself.</summary>
public static partial class ApiEndpoints
{
    /// <summary>Maps every <c>/v1</c> route.</summary>
    public static IEndpointRouteBuilder MapCreditLedgerApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1");
        v1.MapApiKeyEndpoints();
        v1.MapCustomerEndpoints();
        v1.MapGrantEndpoints();
        v1.MapCreditScheduleEndpoints();
        v1.MapCreditTopUpEndpoints();
        v1.MapBalanceEndpoints();
        v1.MapInvoiceEndpoints();
        v1.MapCreditAlertEndpoints();
        v1.MapWebhookEndpointEndpoints();
        v1.MapReportEndpoints();
        v1.MapDashboardSessionEndpoints();
        return endpoints;
    }

    /// <summary>While requests are answered 503, at most one warning about it is logged per this interval.</summary>
    public static readonly TimeSpan UnavailableWarningInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Answers what escapes the routes as problem details: storage or cluster trouble is 503
    /// <c>unavailable</c> with <c>Retry-After</c> (safe to retry with the same key or invoice id); a body
    /// over the limit is 413; anything else is a bug, 500 <c>internal_error</c>, logged. Bare 404, 405 and 415
    /// answers (from routing) get a problem body too.
    /// </summary>
    public static IApplicationBuilder UseCreditLedgerProblems(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiEndpoints));
        var unavailable = new UnavailableAnswerLog(logger, TimeProvider.System, UnavailableWarningInterval);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = _ => StatusCodes.Status500InternalServerError,
            // The handler below logs what deserves it (every 500 with its exception, 503s summarised); the middleware's
            // own "unhandled exception" error for every answered exception would flood the log during an outage.
            SuppressDiagnosticsCallback = _ => true,
            ExceptionHandler = async context =>
            {
                var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                switch (exception)
                {
                    case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                        await Problems.WriteAsync(context, "payload_too_large", $"The request body may be at most {RequestBody.MaxBytes / 1024} KiB.");
                        break;
                    case BadHttpRequestException bad:
                        await Problems.WriteAsync(context, "validation_failed", bad.Message);
                        break;
                    case not null when IsUnavailable(exception) && !context.RequestAborted.IsCancellationRequested:
                        context.Response.Headers.RetryAfter = "1";
                        unavailable.Record(context.Request.Path, exception);
                        await Problems.WriteAsync(context, "unavailable", "Storage or the cluster is unavailable; retry with the same Idempotency-Key or invoice id.");
                        break;
                    case not null when IsUnavailable(exception):
                        // The client went away while storage or the cluster failed it: nobody reads an answer.
                        LogAbandoned(logger, exception, context.Request.Path);
                        break;
                    default:
                        LogInternalError(logger, exception, context.Request.Path);
                        await Problems.WriteAsync(context, "internal_error", $"An internal error occurred; quote request id {context.TraceIdentifier}.");
                        break;
                }
            },
        });

        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            if (response.ContentType is not null)
            {
                return;
            }

            if (response.StatusCode == StatusCodes.Status404NotFound)
            {
                await Problems.WriteAsync(context.HttpContext, "not_found", "No route matches this path.");
            }
            else if (response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            {
                await Problems.WriteAsync(context.HttpContext, "method_not_allowed", "This route does not take this method.");
            }
            else if (response.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            {
                await Problems.WriteAsync(context.HttpContext, "unsupported_media_type", "Send the body as application/json.");
            }
        });

        return app;
    }

    /// <summary>
    /// Whether an exception means storage or the cluster is unavailable (a 503, safe to retry): it, or an exception it
    /// wraps, is one of the infrastructure failures. Orleans wraps some of them, e.g. a grain that could not read its
    /// snapshot while PostgreSQL was down fails with an <see cref="OrleansException"/> around the database error.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (IsInfrastructureFailure(e))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the exception itself (not one it wraps) is one of the infrastructure failures.</summary>
    /// <remarks>A gateway that cannot connect to the silo it sends to (killed, not yet known to be dead) gets a
    /// <see cref="Orleans.Runtime.Messaging.ConnectionFailedException"/>: the call never reached a grain, so it is safe to retry.</remarks>
    internal static bool IsInfrastructureFailure(Exception exception) =>
        exception is LedgerUnavailableException or SiloUnavailableException or OrleansMessageRejectionException
            or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException
            or System.Data.Common.DbException or OperationCanceledException;

    [LoggerMessage(Level = LogLevel.Debug, Message = "The client of {Path} went away before its failure could be answered")]
    private static partial void LogAbandoned(ILogger logger, Exception? exception, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answered 500 to {Path}")]
    private static partial void LogInternalError(ILogger logger, Exception? exception, string path);
}
