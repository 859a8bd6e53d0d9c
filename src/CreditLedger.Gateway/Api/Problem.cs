using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api;

/// <summary>An RFC 9457 problem details body with the engine's stable <see cref="Code"/>.</summary>
/// <param name="Type">A URI naming the problem type (<c>urn:creditledger:problem:&lt;code&gt;</c>).</param>
/// <param name="Title">A short summary of the problem type.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">What went wrong with this request.</param>
/// <param name="Code">The stable machine-readable code.</param>
/// <param name="Errors">For validation errors: messages per request field.</param>
public sealed record Problem(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null);
