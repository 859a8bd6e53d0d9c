using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Health;

/// <summary>The body of the health endpoints.</summary>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

/// <summary>One check's outcome.</summary>
public sealed record HealthCheckResponse(string Status, string? Description);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
