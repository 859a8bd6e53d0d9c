using System.Globalization;
using System.Threading.RateLimiting;
using CreditLedger.Gateway.Auth;
using Microsoft.Extensions.Options;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// Per-API-key rate limits (section <c>CreditLedger:RateLimit</c>), off unless <c>PermitsPerPeriod</c> is set:
/// each key has a token bucket of <c>Burst</c> tokens (default: <c>PermitsPerPeriod</c>) refilled with
/// <c>PermitsPerPeriod</c> tokens every <c>Period</c> (default 1 s). A request over the limit gets 429
/// <c>rate_limited</c> with <c>Retry-After</c> in seconds. Requests without a valid key are not counted (they get 401).
/// </summary>
public sealed class RateLimits
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CreditLedger:RateLimit";

    /// <summary>Tokens added per period; 0 (the default) turns rate limiting off.</summary>
    public int PermitsPerPeriod { get; set; }

    /// <summary>The refill period (default 1 second).</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The bucket size: how many requests may come at once; 0 means <see cref="PermitsPerPeriod"/>.</summary>
    public int Burst { get; set; }

    /// <summary>Adds the limiter; it reads the settings when requests come, so it is a no-op unless they turn it on.</summary>
    public static IServiceCollection AddCreditLedgerRateLimits(IServiceCollection services)
    {
        services.AddOptions<RateLimits>()
            .BindConfiguration(SectionName)
            .Validate(s => s.PermitsPerPeriod >= 0 && s.Burst >= 0 && s.Period > TimeSpan.Zero, $"{SectionName}: PermitsPerPeriod and Burst must be zero or more, and Period positive.")
            .ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<RateLimits>>().Value;
                return settings.PermitsPerPeriod > 0 && context.User.FindFirst(Scopes.KeyIdClaimType)?.Value is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = settings.Burst > 0 ? settings.Burst : settings.PermitsPerPeriod,
                        TokensPerPeriod = settings.PermitsPerPeriod,
                        ReplenishmentPeriod = settings.Period,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty);
            });
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var period = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimits>>().Value.Period;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : period;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(rejected.HttpContext, "rate_limited", $"This API key is over its rate limit; retry after {seconds} s.");
            };
        });
        return services;
    }
}
