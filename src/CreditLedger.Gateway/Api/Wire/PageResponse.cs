namespace CreditLedger.Gateway.Api.Wire;

/// <summary>A page of a list: <c>{ data, nextCursor }</c>; pass <c>nextCursor</c> as <c>?cursor=</c> for the next page (null on the last).</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Data, string? NextCursor);
