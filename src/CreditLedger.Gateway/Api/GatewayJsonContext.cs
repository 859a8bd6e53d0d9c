using System.Text.Json.Serialization;
using System.Text.Json;
using CreditLedger.Gateway.Api.Wire;

namespace CreditLedger.Gateway.Api;

/// <summary>The API's JSON: camelCase, timestamps in RFC 3339, amounts as decimal strings (formatted before serialization).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(CustomerResponse))]
[JsonSerializable(typeof(PageResponse<CustomerListItem>))]
[JsonSerializable(typeof(GrantResponse))]
[JsonSerializable(typeof(GrantPage))]
[JsonSerializable(typeof(BalancesResponse))]
[JsonSerializable(typeof(TransactionPage))]
[JsonSerializable(typeof(InvoiceResponse))]
[JsonSerializable(typeof(ApiKeyResponse))]
[JsonSerializable(typeof(PageResponse<ApiKeyResponse>))]
[JsonSerializable(typeof(CustomerBody))]
[JsonSerializable(typeof(GrantBody))]
[JsonSerializable(typeof(VoidGrantBody))]
[JsonSerializable(typeof(ApplyBody))]
[JsonSerializable(typeof(ApiKeyBody))]
[JsonSerializable(typeof(WebhookEndpointBody))]
[JsonSerializable(typeof(EnableWebhookEndpointBody))]
[JsonSerializable(typeof(WebhookEndpointResponse))]
[JsonSerializable(typeof(PageResponse<WebhookEndpointResponse>))]
[JsonSerializable(typeof(PageResponse<DeliveryResponse>))]
[JsonSerializable(typeof(CreditAlertBody))]
[JsonSerializable(typeof(CreditAlertResponse))]
[JsonSerializable(typeof(ReportResponse))]
[JsonSerializable(typeof(ScheduleBody))]
[JsonSerializable(typeof(CancelScheduleBody))]
[JsonSerializable(typeof(ScheduleResponse))]
[JsonSerializable(typeof(SchedulePage))]
[JsonSerializable(typeof(TopUpRuleBody))]
[JsonSerializable(typeof(FailTopUpBody))]
[JsonSerializable(typeof(TopUpRuleResponse))]
[JsonSerializable(typeof(TopUpRequestResponse))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
