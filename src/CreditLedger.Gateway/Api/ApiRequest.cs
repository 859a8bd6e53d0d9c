using System.Security.Claims;
using CreditLedger.Contracts.Customers;
using CreditLedger.Contracts;
using CreditLedger.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary>What every endpoint reads the same way: path ids, the caller, the idempotency key, the customer's grain.</summary>
public static class ApiRequest
{
    /// <summary>The header of idempotency keys.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The header set on answers that replay an earlier request's.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    private static CustomerGrainTypes? s_customerGrainTypes;

    /// <summary>The customer's grain, or the problem when the path id is not valid.</summary>
    public static (ICustomerCreditGrain? Grain, JsonHttpResult<Problem>? Problem) Customer(IGrainFactory grains, string customerId)
    {
        if (!CustomerId.TryParse(customerId, out var id, out var error))
        {
            return (null, Problems.Validation("customerId", error));
        }

        return (CustomerGrain(grains, id), null);
    }

    // Orleans resolves a grain interface's type by reflection on every GetGrain<T>(key); the customer grain's types
    // are resolved once per grain factory and every later reference is made from them.
    private static ICustomerCreditGrain CustomerGrain(IGrainFactory grains, CustomerId id)
    {
        var resolved = s_customerGrainTypes;
        if (resolved is null || !ReferenceEquals(resolved.Factory, grains))
        {
            var grain = grains.GetGrain<ICustomerCreditGrain>(GrainKeys.ForCustomer(id));
            s_customerGrainTypes = new CustomerGrainTypes(grains, grain.GetGrainId().Type, ((GrainReference)grain).InterfaceType);
            return grain;
        }

        return (ICustomerCreditGrain)grains.GetGrain(GrainId.Create(resolved.Type, GrainKeys.ForCustomer(id)), resolved.Interface);
    }

    private sealed record CustomerGrainTypes(IGrainFactory Factory, GrainType Type, GrainInterfaceType Interface);

    /// <summary>The customer's grain and the credit type of a path, or the problem when either is not valid.</summary>
    public static (ICustomerCreditGrain? Grain, CreditType Type, JsonHttpResult<Problem>? Problem) CustomerCreditType(
        IGrainFactory grains, string customerId, string creditType)
    {
        var (grain, badId) = Customer(grains, customerId);
        if (badId is not null)
        {
            return (null, default, badId);
        }

        return CheckCreditType(creditType, out var type) is { } badType ? (null, default, badType) : (grain, type, null);
    }

    /// <summary>The problem when the credit type of a path is not valid, else null with the credit type.</summary>
    public static JsonHttpResult<Problem>? CheckCreditType(string creditType, out CreditType type) =>
        CreditType.TryParse(creditType, out type, out var error) ? null : Problems.Validation("creditType", error);

    /// <summary>The problem when a path id (<paramref name="field"/>) is not valid, else null.</summary>
    public static JsonHttpResult<Problem>? CheckId(string field, string value) =>
        ResourceId.IsValid(value, out var error) ? null : Problems.Validation(field, error);

    /// <summary>Who asks, from where, which request, and the idempotency key; or the problem when the key is not valid.</summary>
    public static (CommandContext? Context, JsonHttpResult<Problem>? Problem) Command(HttpContext http)
    {
        string? key = null;
        if (http.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var values))
        {
            key = values.ToString();
            if (values.Count != 1 || key.Length is 0 or > LedgerLimits.MaxIdempotencyKeyLength || key.Any(c => c is < ' ' or > '~'))
            {
                return (null, Problems.Validation(IdempotencyKeyHeader, $"Must be 1 to {LedgerLimits.MaxIdempotencyKeyLength} printable ASCII characters, sent once."));
            }
        }

        return (new CommandContext(Actor(http.User), "api", http.TraceIdentifier, key), null);
    }

    /// <summary>
    /// What every command endpoint reads first, in this order: the customer id (and another path id when given),
    /// the caller and idempotency key, and the JSON body (an empty body reads as <c>{}</c> unless required). The
    /// caller disposes the body.
    /// </summary>
    public static async Task<(CommandRequest? Request, JsonHttpResult<Problem>? Problem)> ReadCommandAsync(
        HttpContext http, IGrainFactory grains, string customerId, (string Field, string Value)? pathId = null, bool bodyRequired = true)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (grain, badId) = Customer(grains, customerId);
        if ((badId ?? (pathId is { } id ? CheckId(id.Field, id.Value) : null)) is { } badPath)
        {
            return (null, badPath);
        }

        var (context, badKey) = Command(http);
        if (badKey is not null)
        {
            return (null, badKey);
        }

        var (document, badBody) = await RequestBody.ReadAsync(http.Request, bodyRequired);
        return badBody is not null ? (null, badBody) : (new CommandRequest(grain!, context!, document!), null);
    }

    /// <summary>The actor recorded on ledger entries: <c>key:&lt;name&gt;</c>.</summary>
    public static string Actor(ClaimsPrincipal user) => "key:" + (user.Identity?.Name ?? "unknown");

    /// <summary>Marks the response as the replay of an earlier request's answer.</summary>
    public static void MarkReplayed(HttpContext http, bool replayed)
    {
        if (replayed)
        {
            http.Response.Headers[ReplayedHeader] = "true";
        }
    }

    /// <summary>Reads <c>?limit=</c>: 1-200, default 50.</summary>
    public static bool TryLimit(HttpRequest request, out int limit, out JsonHttpResult<Problem>? problem)
    {
        problem = null;
        limit = LedgerLimits.DefaultPageSize;
        var text = request.Query["limit"].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit)
            || limit < 1 || limit > LedgerLimits.MaxPageSize)
        {
            problem = Problems.Validation("limit", $"Must be a whole number from 1 to {LedgerLimits.MaxPageSize}.");
            return false;
        }

        return true;
    }

    /// <summary>Formats an amount of a credit type the way the API writes amounts.</summary>
    public static string Amount(decimal amount, string creditType) => AmountText.Format(amount, CreditType.Parse(creditType));
}
