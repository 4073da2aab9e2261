using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Observability;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Tests.Delivery;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Observability;

public sealed partial class MetricsServerTests : IDisposable
{
    private static readonly string[] MetricTypes = ["counter", "gauge", "histogram"];
    private const string AwkwardDevice = "wrist \"left\"\\2\nb";
    private readonly TempDirectory _directory = new();
    private readonly List<Outbox> _outboxes = [];

    public void Dispose()
    {
        foreach (var outbox in _outboxes)
        {
            outbox.Dispose();
        }

        _directory.Dispose();
    }

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\\n]|\\[\\""n])*"",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$")]
    private static partial Regex SampleLine();

    // Each outbox takes its own folder, which holds one outbox at a time.
    private Outbox OpenOutbox()
    {
        var outbox = Outbox.Open(_directory.File($"outbox-{_outboxes.Count}"), 10, NullLogger.Instance);
        _outboxes.Add(outbox);
        return outbox;
    }

    private AgentMetrics Metrics()
    {
        var counters = new IngestCounters();
        counters.AddReceived(AwkwardDevice, 500, System.Diagnostics.Stopwatch.GetTimestamp());
        counters.AddRejected(AwkwardDevice, IngestRejection.ChecksumMismatch, 3);
        counters.AddGap(AwkwardDevice, 12, 2);
        counters.AddRateMismatch(AwkwardDevice, 90);
        counters.AddRateMismatch("wrist-02", 110);
        counters.EndRateMismatch("wrist-02");
        var health = new HealthMonitor(counters, new HealthOptions());
        health.ReportModelLoaded("m");
        health.ReportBroker(BrokerState.Connected);
        var metrics = new AgentMetrics(counters, health)
        {
            Outbox = OpenOutbox(),
        };
        metrics.RecordWindow(DeliveryHarness.Window(AwkwardDevice, 0, 0.9));
        metrics.RecordWindow(DeliveryHarness.Window(AwkwardDevice, 1, 0.9) with { Outcome = WindowOutcome.RejectedByQualityGate, LatencyMs = null });
        metrics.RecordAlert(AwkwardDevice, "raise");
        metrics.AlertLatency.Observe(0.03);
        return metrics;
    }

    [Fact]
    public void Render_EveryLineFollowsTextFormat()
    {
        var lines = Metrics().Render().Split('\n');

        Assert.Equal("", lines[^1]);
        var declared = new HashSet<string>();
        foreach (var line in lines[..^1])
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Contains(parts[3], MetricTypes);
                Assert.True(declared.Add(parts[2]), $"{parts[2]} declared twice");
                continue;
            }

            Assert.Matches(SampleLine(), line);
            var name = line[..line.IndexOfAny(['{', ' '])];
            var family = Regex.Replace(name, "_(bucket|sum|count)$", "");
            Assert.True(declared.Contains(name) || declared.Contains(family), $"sample {name} before its TYPE line");
        }
    }

    [Fact]
    public void Render_EscapesLabelValues()
    {
        var text = Metrics().Render();

        Assert.Contains("ssdedge_samples_received_total{device=\"wrist \\\"left\\\"\\\\2\\nb\"} 500", text, StringComparison.Ordinal);
        Assert.Contains("cause=\"ChecksumMismatch\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("outcome=\"rejected_by_quality_gate\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GapsAndRateMismatches()
    {
        var text = Metrics().Render();
        const string Device = "device=\"wrist \\\"left\\\"\\\\2\\nb\"";

        Assert.Contains($"ssdedge_ingest_gaps_total{{{Device}}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"ssdedge_ingest_missing_samples_total{{{Device}}} 12\n", text, StringComparison.Ordinal);
        Assert.Contains($"ssdedge_windows_lost_to_gaps_total{{{Device}}} 2\n", text, StringComparison.Ordinal);
        Assert.Contains($"ssdedge_rate_mismatch_episodes_total{{{Device}}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"ssdedge_rate_mismatch_active{{{Device}}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("ssdedge_rate_mismatch_episodes_total{device=\"wrist-02\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("ssdedge_rate_mismatch_active{device=\"wrist-02\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithoutSources_DeclaresSourceFamilies()
    {
        var text = Metrics().Render();

        Assert.Contains("# TYPE ssdedge_serial_port_state gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE ssdedge_mqtt_ingest_connected gauge\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nssdedge_mqtt_ingest_connected ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ssdedge_serial_port_state{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HistogramBucketsAreCumulative()
    {
        var text = Metrics().Render();

        Assert.Contains("ssdedge_alert_latency_seconds_bucket{le=\"0.025\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("ssdedge_alert_latency_seconds_bucket{le=\"0.05\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("ssdedge_alert_latency_seconds_bucket{le=\"+Inf\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("ssdedge_alert_latency_seconds_count 1", text, StringComparison.Ordinal);
        Assert.Contains("ssdedge_health{state=\"healthy\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("ssdedge_broker_connected 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_ServesMetricsOnLoopback()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var port = PeerProgram.FreePort();
        using var server = new MetricsServer(Metrics(), new MetricsOptions { Port = port }, NullLogger<MetricsServer>.Instance);
        await server.StartAsync(cancellationToken);
        using var client = new HttpClient();

        using var response = await GetWithRetryAsync(client, $"http://127.0.0.1:{port}/metrics", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        using var missing = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/other"), cancellationToken);
        await server.StopAsync(cancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("# TYPE ssdedge_windows_total counter", body, StringComparison.Ordinal);
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Fact]
    public async Task Health_UnhealthyAnswers503WithReasons()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var port = PeerProgram.FreePort();
        var health = new HealthMonitor(new IngestCounters(), new HealthOptions());
        var metrics = new AgentMetrics(new IngestCounters(), health);
        using var server = new MetricsServer(metrics, new MetricsOptions { Port = port }, NullLogger<MetricsServer>.Instance);
        await server.StartAsync(cancellationToken);
        using var client = new HttpClient();

        using var response = await GetWithRetryAsync(client, $"http://127.0.0.1:{port}/health", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        await server.StopAsync(cancellationToken);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("{\"state\":\"unhealthy\",\"reasons\":[\"model not loaded\"]}", body);
    }

    [Fact]
    public async Task PortInUse_LogsAndRunsOn()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var port = PeerProgram.FreePort();
        var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        using var first = new MetricsServer(Metrics(), new MetricsOptions { Port = port }, NullLogger<MetricsServer>.Instance);
        using var second = new MetricsServer(Metrics(), new MetricsOptions { Port = port }, factory.CreateLogger<MetricsServer>());
        await first.StartAsync(cancellationToken);
        using var client = new HttpClient();
        using var response = await GetWithRetryAsync(client, $"http://127.0.0.1:{port}/metrics", cancellationToken);

        await second.StartAsync(cancellationToken);
        await logs.WhenLogged(2401).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        await second.StopAsync(cancellationToken);
        await first.StopAsync(cancellationToken);

        Assert.Contains(logs.Entries, entry => entry.EventId == 2401);
    }

    private static async Task<HttpResponseMessage> GetWithRetryAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await client.GetAsync(new Uri(url), cancellationToken);
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                // The listener starts on the host's background thread.
                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
