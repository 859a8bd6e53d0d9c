using System.Text.Json.Serialization;
using CreditLedger.Contracts.Customers;

namespace CreditLedger.Grains;

/// <summary>System.Text.Json metadata for what the grains serialize themselves: fingerprints and remembered answers.</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(GrantResult))]
[JsonSerializable(typeof(InvoiceResult))]
[JsonSerializable(typeof(ScheduleResult))]
[JsonSerializable(typeof(TopUpRequestResult))]
internal sealed partial class GrainJsonContext : JsonSerializerContext;
