using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CreditLedger.Gateway.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>
/// Traces: one trace follows a command from the gateway's request through the grain call into PostgreSQL, and the
/// host records and exports traces only when an OTLP endpoint is configured (here one where nothing listens).
/// </summary>
[Collection(ObservedEngine.Name)]
public sealed class TracingTests(ObservedApi api) : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private ActivityListener? _listener;

    [Fact]
    public async Task Grant_OneTrace_FromRequestThroughGrainCallToPostgres()
    {
        var customer = await api.CustomerAsync("trace");
        var path = $"/v1/customers/{customer}/credit-grants";
        // The server stops the request's activity after the response has left, so the client may see the response first.
        var requestStopped = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Microsoft.Orleans.Application" or "CreditLedger" or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                _stopped.Enqueue(activity);
                if (activity.Source.Name == "Microsoft.AspNetCore" && Equals(activity.GetTagItem("url.path"), path))
                {
                    requestStopped.TrySetResult(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        using var admin = api.Client();

        var grant = await admin.PostAsync(path, ApiFixture.Json(new { type = "monetary", amount = "5.00", currency = "USD", reason = "Trace" }));

        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        var request = await requestStopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(_stopped, a => a.Source.Name == "Microsoft.AspNetCore" && Equals(a.GetTagItem("url.path"), path));
        var trace = request.TraceId;
        Assert.Contains(_stopped, a => a.Source.Name == "Microsoft.Orleans.Application" && a.TraceId == trace && a.DisplayName.Contains("CustomerCredit", StringComparison.Ordinal));
        // The grant's ledger transaction (a batch of one) continues the request's trace, its statements inside it.
        var commit = Assert.Single(_stopped, a => a.Source.Name == "CreditLedger" && a.TraceId == trace && a.DisplayName == "ledger commit");
        Assert.Contains(_stopped, a => a.Source.Name == "Npgsql" && a.ParentSpanId == commit.SpanId);
    }

    [Fact]
    public void Host_OtlpEndpointConfigured_HasTracerProvider() =>
        Assert.NotNull(api.Services.GetService<TracerProvider>());

    public void Dispose() => _listener?.Dispose();
}
