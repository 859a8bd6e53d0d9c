using System.Collections;

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
    public static IApplicationBuilder UseCustomerLogScope(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // One logger for the process: creating it per request cost a type-name lookup and a dictionary each time.
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CustomerLogScope));
        return app.Use(async (context, next) =>
        {
            if (context.GetRouteValue("customerId") is not string customerId)
            {
                await next(context);
                return;
            }

            using (logger.BeginScope(new State(customerId)))
            {
                await next(context);
            }
        });
    }

    // The scope's one key and value, in the shape providers read scopes in (a list of pairs), and as text for those
    // that print scopes as text.
    private sealed class State(string customerId) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public int Count => 1;

        public KeyValuePair<string, object> this[int index] =>
            index == 0 ? new(CustomerIdKey, customerId) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{CustomerIdKey}:{customerId}";
    }
}
