using System.Text;
using CsCheck;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>
/// Random and mutated bodies sent to every body-taking route: whatever arrives, the answer is a 2xx or a 4xx
/// problem, never a 5xx, and a 4xx changes nothing.
/// </summary>
[Collection(RefusalEngine.Name)]
public sealed class FuzzTests(ApiFixture api)
{
    private static readonly string[] Seeds =
    [
        """{"type":"monetary","amount":"5.00","currency":"USD","reason":"Welcome credit","expiresAt":"2031-01-01T00:00:00Z","priority":10,"category":"paid"}""",
        """{"type":"units","amount":"10000","unit":"api_calls","reason":"Package"}""",
        """{"currency":"USD","total":"150.00","usage":[{"unit":"api_calls","quantity":"12000"}]}""",
        """{"reason":"Duplicate grant"}""",
        """{"name":"Acme","email":"billing@acme.test"}""",
        """{"name":"k","scopes":["read","invoices:write"]}""",
    ];

    private static readonly string[] Routes =
    [
        "POST /v1/customers/{c}/credit-grants",
        "POST /v1/customers/{c}/invoices/inv_fuzz/apply-credits",
        "POST /v1/customers/{c}/credit-grants/grt_missing/void",
        "POST /v1/customers/{c}/invoices/inv_fuzz/pay",
        "PUT /v1/customers/{c}",
        "POST /v1/api-keys",
    ];

    private static readonly Gen<string> Noise = Gen.OneOf(
        Gen.String,
        Gen.Char['\0', '\u00ff'].Array[0, 40].Select(chars => new string(chars)),
        Gen.OneOf("{", "}", "[", "]", "\"", ":", ",", "-1", "1e309", "null", "true", "\\u0000", "\uD800", "0.000000001", "99999999999999999999999999999"));

    private static readonly Gen<(int Route, string Body)> Requests =
        Gen.Select(Gen.Int[0, Routes.Length - 1], Gen.Int[0, Seeds.Length - 1], Gen.Int[0, 400], Gen.Int[0, 20], Noise, Gen.Int[0, 3])
            .Select((route, seed, at, cut, noise, how) =>
            {
                var body = Seeds[seed];
                var position = Math.Min(at, body.Length);
                var mutated = how switch
                {
                    0 => body.Insert(position, noise),
                    1 => body.Remove(position, Math.Min(cut, body.Length - position)),
                    2 => body[..position] + noise + body[Math.Min(body.Length, position + cut)..],
                    _ => noise,
                };
                return (route, mutated);
            });

    [Fact]
    public async Task MutatedBodies_NeverAnswer5xx_AndRefusalsChangeNothing()
    {
        var customer = await api.CustomerAsync("fuzz");
        using var client = api.Client();

        await Requests.SampleAsync(
            async request =>
            {
                var (method, path) = (Routes[request.Route].Split(' ')[0], Routes[request.Route].Split(' ')[1].Replace("{c}", customer, StringComparison.Ordinal));
                var before = await api.LedgerFingerprintAsync();
                using var message = new HttpRequestMessage(new HttpMethod(method), path)
                {
                    Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body)),
                };
                message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

                var response = await client.SendAsync(message);

                var status = (int)response.StatusCode;
                Assert.True(status < 500, $"{Routes[request.Route]} answered {status} to {request.Body}: {await response.Content.ReadAsStringAsync()}");
                if (status >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.Equal(before, await api.LedgerFingerprintAsync());
                }
            },
            iter: 600,
            threads: 1);
    }
}
