using System.Net;
using System.Text.Json;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>
/// The credit-schedules resource over HTTP: create answers the schedule with its first period granted, the period's
/// grant and entry name the schedule, get and list show it, cancel stops it and a second cancel is refused,
/// idempotency keys replay, and the limit of active schedules is refused with nothing written.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class CreditScheduleApiTests(ApiFixture api)
{
    private const string Monthly =
        """{"type":"units","amount":"1000","unit":"api_calls","reason":"Monthly allowance","every":"month","periods":12,"rollover":{"maxAmount":"500"},"priority":40,"category":"promotional"}""";

    [Fact]
    public async Task Create_Get_List_Cancel_AsDocumented()
    {
        var customer = await api.CustomerAsync("schedules");
        using var http = api.Client();
        var path = $"/v1/customers/{customer}/credit-schedules";

        var createdResponse = await http.PostWithKeyAsync(path, "create-1", Monthly);
        var created = await createdResponse.JsonAsync(HttpStatusCode.Created);
        var scheduleId = created.Str("scheduleId");
        Assert.StartsWith("sch_", scheduleId, StringComparison.Ordinal);
        Assert.Equal(
            ("units", "api_calls", "api_calls", "1000", "Monthly allowance", "month", 12, "500", 40, "promotional", "active", 1L, 1L),
            (created.Str("type"), created.Str("creditType"), created.Str("unit"), created.Str("amount"), created.Str("reason"), created.Str("every"),
             created.GetProperty("periods").GetInt32(), created.GetProperty("rollover").Str("maxAmount"), created.GetProperty("priority").GetInt32(),
             created.Str("category"), created.Str("status"), created.GetProperty("periodsGranted").GetInt64(), created.GetProperty("version").GetInt64()));
        var startsAt = created.GetProperty("startsAt").GetDateTimeOffset();
        Assert.Equal(startsAt.AddMonths(1), created.GetProperty("nextPeriodAt").GetDateTimeOffset());
        Assert.False(created.TryGetProperty("cancelledAt", out _));

        var replayed = await http.PostWithKeyAsync(path, "create-1", Monthly);
        Assert.True(replayed.IsReplay());
        Assert.Equal(scheduleId, (await replayed.JsonAsync(HttpStatusCode.Created)).Str("scheduleId"));

        var grant = await http.GetAsync($"/v1/customers/{customer}/credit-grants/{scheduleId}:p0").OkAsync();
        Assert.Equal((scheduleId, 0, "1000", "active"), (grant.Str("scheduleId"), grant.GetProperty("period").GetInt32(), grant.Str("amount"), grant.Str("status")));
        Assert.Equal(startsAt.AddMonths(1), grant.GetProperty("expiresAt").GetDateTimeOffset());
        var entry = (await http.GetAsync($"/v1/customers/{customer}/credit-transactions").OkAsync()).GetProperty("data")[0];
        Assert.Equal(("granted", scheduleId, 0), (entry.Str("kind"), entry.Str("scheduleId"), entry.GetProperty("period").GetInt32()));

        var read = await http.GetAsync($"{path}/{scheduleId}").OkAsync();
        Assert.Equal((scheduleId, "active", 1L), (read.Str("scheduleId"), read.Str("status"), read.GetProperty("periodsGranted").GetInt64()));
        var list = await http.GetAsync(path).OkAsync();
        Assert.Equal([scheduleId], list.GetProperty("data").EnumerateArray().Select(s => s.Str("scheduleId")));
        Assert.Equal(JsonValueKind.Null, list.GetProperty("nextCursor").ValueKind);

        var cancelled = await http.PostAsync($"{path}/{scheduleId}/cancel", ApiFixture.Raw("""{"reason":"Plan downgraded"}""")).OkAsync();
        Assert.Equal(("cancelled", "Plan downgraded", JsonValueKind.Null), (cancelled.Str("status"), cancelled.Str("cancelReason"), cancelled.GetProperty("nextPeriodAt").ValueKind));
        var again = await (await http.PostAsync($"{path}/{scheduleId}/cancel", ApiFixture.Raw("""{"reason":"Twice"}"""))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("schedule_not_active", again.Str("code"));

        // The period already granted stays.
        Assert.Equal("active", (await http.GetAsync($"/v1/customers/{customer}/credit-grants/{scheduleId}:p0").OkAsync()).Str("status"));
    }

    [Fact]
    public async Task Create_BeyondTheActiveLimit_Refused409_NothingWritten_UntilOneIsCancelled()
    {
        var customer = await api.CustomerAsync("schedule-limit");
        using var http = api.Client();
        var path = $"/v1/customers/{customer}/credit-schedules";
        const string later = """{"type":"monetary","amount":"5.00","currency":"USD","reason":"Weekly","every":"week","startsAt":"2099-01-01T00:00:00Z"}""";
        string? first = null;
        for (var i = 0; i < 100; i++)
        {
            var created = await (await http.PostAsync(path, ApiFixture.Raw(later))).JsonAsync(HttpStatusCode.Created);
            first ??= created.Str("scheduleId");
        }

        var before = await api.LedgerFingerprintAsync();
        var refused = await (await http.PostAsync(path, ApiFixture.Raw(later))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("schedule_limit_reached", refused.Str("code"));
        Assert.Equal(before, await api.LedgerFingerprintAsync());

        await http.PostAsync($"{path}/{first}/cancel", ApiFixture.Raw("""{"reason":"Make room"}""")).OkAsync();
        await (await http.PostAsync(path, ApiFixture.Raw(later))).JsonAsync(HttpStatusCode.Created);
        var page = await http.GetAsync($"{path}?limit=200").OkAsync();
        Assert.Equal(101, page.GetProperty("data").GetArrayLength());
        Assert.Equal(0L, page.GetProperty("version").GetInt64());
    }
}
