namespace CreditLedger.Gateway.Api;

/// <summary>OpenAPI metadata shared by the routes.</summary>
public static class EndpointMetadata
{
    /// <summary>
    /// Declares a route's problem responses: the given statuses plus those every authenticated route can answer
    /// (401, 403, 429, 503).
    /// </summary>
    public static RouteHandlerBuilder WithProblems(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses.Concat([401, 403, 429, 503]).Distinct().Order())
        {
            route.ProducesProblem(status, Problems.ContentType);
        }

        return route;
    }
}
