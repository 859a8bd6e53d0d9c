using CreditLedger.Contracts.Customers;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using CreditLedger.Storage.Customers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary><c>/v1/customers</c>: create or update, list and search, read one with its balances.</summary>
public static class CustomerEndpoints
{
    private const string CursorKind = "customers";
    private const int MaxNameLength = 200;
    private const int MaxEmailLength = 320;

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapCustomerEndpoints(this RouteGroupBuilder v1)
    {
        var customers = v1.MapGroup("/customers").WithTags("Customers");

        customers.MapPut("/{customerId}", PutAsync)
            .RequireScope(Scopes.CreditsWrite)
            .WithName("PutCustomer")
            .WithSummary("Create or update a customer")
            .WithDescription("Creates the customer (201) or updates its name and e-mail (200). Every credit endpoint answers 404 customer_not_found for a customer never created.")
            .Accepts<CustomerBody>("application/json")
            .Produces<CustomerResponse>(StatusCodes.Status201Created)
            .Produces<CustomerResponse>()
            .WithProblems(400, 413, 415);

        customers.MapGet("/", ListAsync)
            .RequireScope(Scopes.Read)
            .WithName("ListCustomers")
            .WithSummary("List customers")
            .WithDescription("Customers ordered by id; `search` matches id, name or e-mail (case-insensitive substring).")
            .Produces<PageResponse<CustomerListItem>>()
            .WithProblems(400);

        customers.MapGet("/{customerId}", GetAsync)
            .RequireScope(Scopes.Read)
            .WithName("GetCustomer")
            .WithSummary("Get a customer with its balances")
            .Produces<CustomerResponse>()
            .WithProblems(400, 404);

        return v1;
    }

    private static async Task<Results<JsonHttpResult<CustomerResponse>, JsonHttpResult<Problem>>> PutAsync(string customerId, HttpRequest request, IGrainFactory grains)
    {
        var (grain, badId) = ApiRequest.Customer(grains, customerId);
        if (badId is not null)
        {
            return badId;
        }

        var (document, problem) = await RequestBody.ReadAsync(request, required: false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var fields = new RequestFields(document!.RootElement, "name", "email");
            var name = fields.Text("name", required: false, MaxNameLength);
            var email = fields.Text("email", required: false, MaxEmailLength);
            if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace)))
            {
                fields.Error("email", "Must be an e-mail address.");
            }

            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            var result = await grain!.PutCustomerAsync(new CustomerDetails(name, email));
            var body = Responses.Customer(result.Customer!, result.Version, result.Balances);
            return TypedResults.Json(body, GatewayJsonContext.Default.CustomerResponse, statusCode: CommandStatusCodes.HttpStatus(result.Status));
        }
    }

    private static async Task<Results<JsonHttpResult<PageResponse<CustomerListItem>>, JsonHttpResult<Problem>>> ListAsync(HttpRequest request, CustomerDirectory customers, CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryLimit(request, out var limit, out var badLimit))
        {
            return badLimit!;
        }

        var search = request.Query["search"].ToString();
        if (search.Length > MaxNameLength)
        {
            return Problems.Validation("search", $"Must be at most {MaxNameLength} characters.");
        }

        if (!Cursor.TryRead(request, CursorKind, out string? after, out var badCursor))
        {
            return badCursor!;
        }

        var page = await customers.ListCustomersAsync(search.Length == 0 ? null : search, after, limit + 1, cancellationToken);
        var items = page.Take(limit).Select(c => new CustomerListItem(c.CustomerId, c.Name, c.Email, c.CreatedAt)).ToList();
        var next = page.Count > limit ? Cursor.Encode(CursorKind, items[^1].CustomerId) : null;
        return TypedResults.Json(new PageResponse<CustomerListItem>(items, next), GatewayJsonContext.Default.PageResponseCustomerListItem);
    }

    private static async Task<Results<JsonHttpResult<CustomerResponse>, JsonHttpResult<Problem>>> GetAsync(string customerId, HttpRequest request, IGrainFactory grains)
    {
        var (grain, badId) = ApiRequest.Customer(grains, customerId);
        if (badId is not null)
        {
            return badId;
        }

        if (!BalanceEndpoints.TryExpiringWithinDays(request, out var days, out var badDays))
        {
            return badDays!;
        }

        var result = await grain!.GetCustomerAsync(days);
        return result.Status == CommandStatus.Ok
            ? TypedResults.Json(Responses.Customer(result.Customer!, result.Version, result.Balances), GatewayJsonContext.Default.CustomerResponse)
            : Problems.Of(result.Status, new CommandError($"Customer {customerId} does not exist; create it first."));
    }
}
