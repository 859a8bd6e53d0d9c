using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// Reads a JSON request body defensively: JSON media type only (415), at most <see cref="MaxBytes"/> (413),
/// well-formed JSON whose top level is an object (400 naming what is wrong). Anything else a client sends ends
/// as a problem, never as an exception.
/// </summary>
public static class RequestBody
{
    /// <summary>The largest request body: 64 KiB.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = 16,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>
    /// The body's top-level object, or the problem to answer. An empty body reads as <c>{}</c> when
    /// <paramref name="required"/> is false.
    /// </summary>
    public static async Task<(JsonDocument? Document, JsonHttpResult<Problem>? Problem)> ReadAsync(HttpRequest request, bool required = true)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        byte[] bytes;
        try
        {
            bytes = await ReadBytesAsync(request);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }

        if (bytes.Length > MaxBytes)
        {
            return (null, TooLarge());
        }

        if (bytes.Length == 0)
        {
            return required
                ? (null, Problems.Validation("body", "A JSON object is required."))
                : (JsonDocument.Parse("{}"), null);
        }

        if (!IsJson(request.ContentType))
        {
            return (null, Problems.Create("unsupported_media_type", "Send the body as application/json."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException e)
        {
            var where = e.BytePositionInLine is { } position ? $" at line {(e.LineNumber ?? 0) + 1}, byte {position + 1}" : string.Empty;
            return (null, Problems.Validation("body", $"Malformed JSON{where}."));
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, Problems.Validation("body", "The body must be a JSON object."));
        }

        return (document, null);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && media.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    // The body is read from Kestrel's own buffers and copied once, at its size (an apply's body is about 40 bytes).
    private static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(request.HttpContext.RequestAborted);
            var buffer = result.Buffer;
            if (result.IsCompleted || buffer.Length > MaxBytes)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static JsonHttpResult<Problem> TooLarge() =>
        Problems.Create("payload_too_large", $"The request body may be at most {MaxBytes / 1024} KiB.");
}
