namespace CreditLedger.Gateway.Hosting;

/// <summary>
/// Puts the customer a request is about into the logging scope, as <c>CustomerId</c>, for everything logged while the
/// request runs; the host's own request scope already carries <c>RequestId</c>, <c>RequestPath</c> and, with
/// tracing, the trace and span ids. Providers that show scopes (the JSON console formatter with
/// <c>IncludeScopes</c>, OTLP) then tie each line to its request and customer. Only route values go into the scope,
/// never headers or bodies, so no API key or secret can reach the logs this way.
/// </summary>
public static class CustomerLogScope
{
    /// <summary>The scope's key.</summary>
    public const string CustomerIdKey = "CustomerId";

    /// <summary>Adds the middleware; routing runs before it (the host adds routing first), so the route's values are known.</summary>
    public static IApplicationBuilder UseCustomerLogScope(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetRouteValue("customerId") is not string customerId)
            {
                await next(context);
                return;
            }

            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CustomerLogScope));
            using (logger.BeginScope(new Dictionary<string, object> { [CustomerIdKey] = customerId }))
            {
                await next(context);
            }
        });
}
