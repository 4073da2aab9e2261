using System.Globalization;
using System.Text;
using System.Text.Json;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Tests.Sources.Serial;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Observability;

/// <summary>
/// Drives a running agent's sources into each state (a socat serial port that goes silent and
/// vanishes, a Mosquitto broker that stops) and scrapes <c>/metrics</c> and <c>/health</c> with
/// <see cref="HttpClient"/>.
/// </summary>
public sealed class SourceHealthTests : IDisposable
{
    private const string Device = "wrist-01";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly string[] ModelChannels = ["eda", "ecg", "emg_corrugator", "emg_trapezius"];

    private readonly TempDirectory _directory = new();
    private readonly HttpClient _client = new();
    private readonly int _metricsPort = PeerProgram.FreePort();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _client.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task SerialPort_SilentThenLostThenReopened()
    {
        using var pair = SocatPair.Start(_directory.Path);
        await using var agent = RunningAgent.Start(SerialArgs(pair.AgentPath), Cancel);
        var port = EscapeLabel(pair.AgentPath);

        await WaitForMetricAsync($"ssdedge_serial_port_state{{device=\"{Device}\",port=\"{port}\",state=\"connected\"}} 1");
        WriteLines(pair, 20);
        await WaitForMetricAsync($"ssdedge_serial_port_state{{device=\"{Device}\",port=\"{port}\",state=\"silent\"}} 1");
        var silentMetrics = await ScrapeAsync("/metrics");
        var silentHealth = await HealthAsync();

        Assert.Contains(
            $"ssdedge_serial_port_state{{device=\"{Device}\",port=\"{port}\",state=\"connected\"}} 0",
            silentMetrics,
            StringComparison.Ordinal);
        Assert.Contains($"ssdedge_serial_last_data_age_seconds{{device=\"{Device}\"}} ", silentMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain($"ssdedge_serial_bytes_received_total{{device=\"{Device}\"}} 0\n", silentMetrics, StringComparison.Ordinal);
        Assert.Equal("degraded", silentHealth.State);
        Assert.Contains($"serial device {Device} on {pair.AgentPath} silent for more than 1 s", silentHealth.Reasons);

        pair.Kill();
        await WaitForMetricAsync($"ssdedge_serial_port_state{{device=\"{Device}\",port=\"{port}\",state=\"reconnecting\"}} 1");
        var lostHealth = await HealthAsync();

        Assert.Equal("degraded", lostHealth.State);
        Assert.Contains($"serial device {Device} on {pair.AgentPath} lost, reopening", lostHealth.Reasons);

        pair.Restart();
        await WaitForMetricAsync($"ssdedge_serial_port_reopens_total{{device=\"{Device}\"}} 1");
        var reopenedHealth = await HealthAsync();

        Assert.DoesNotContain(reopenedHealth.Reasons, reason => reason.Contains("lost, reopening", StringComparison.Ordinal));
        Assert.DoesNotContain(reopenedHealth.Reasons, reason => reason.Contains("not open yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SerialPort_MissingAtStart_NotOpenYet()
    {
        var missing = Path.Combine(_directory.Path, "absent");
        await using var agent = RunningAgent.Start(SerialArgs(missing), Cancel);
        var port = EscapeLabel(missing);

        await WaitForMetricAsync($"ssdedge_serial_port_state{{device=\"{Device}\",port=\"{port}\",state=\"connecting\"}} 1");
        var metrics = await ScrapeAsync("/metrics");
        var health = await HealthAsync();

        Assert.DoesNotContain("ssdedge_serial_last_data_age_seconds{", metrics, StringComparison.Ordinal);
        Assert.Equal("degraded", health.State);
        Assert.Contains($"serial device {Device} on {missing} not open yet", health.Reasons);
    }

    [Fact]
    public async Task MqttIngest_BrokerStoppedThenBack()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Cancel);
        var brokerPort = broker.Port.ToString(CultureInfo.InvariantCulture);
        await using var agent = RunningAgent.Start(
            [
                "--mqtt-host", "127.0.0.1",
                "--mqtt-port", brokerPort,
                "--Publish:Enabled=false",
                Invariant($"--Metrics:Port={_metricsPort}"),
            ],
            Cancel);

        await WaitForMetricAsync("ssdedge_mqtt_ingest_connected 1");
        var connectedHealth = await HealthAsync();

        Assert.Equal("healthy", connectedHealth.State);
        Assert.Empty(connectedHealth.Reasons);

        await broker.StopAsync();
        await WaitForMetricAsync("ssdedge_mqtt_ingest_connected 0");
        var stoppedHealth = await HealthAsync();

        Assert.Equal("degraded", stoppedHealth.State);
        Assert.Contains($"MQTT source not connected to 127.0.0.1:{brokerPort}", stoppedHealth.Reasons);

        await broker.StartProcessAsync(Cancel);
        await WaitForMetricAsync("ssdedge_mqtt_ingest_connected 1");
        var metrics = await ScrapeAsync("/metrics");
        var backHealth = await HealthAsync();

        Assert.Contains("ssdedge_mqtt_ingest_reconnects_total 1\n", metrics, StringComparison.Ordinal);
        Assert.Equal("healthy", backHealth.State);
    }

    private string[] SerialArgs(string portPath)
    {
        var args = new List<string>
        {
            $"--Serial:Devices:0:DeviceId={Device}",
            $"--Serial:Devices:0:Port={portPath}",
            "--Serial:Devices:0:SamplingRateHz=512",
            "--Serial:Devices:0:SilenceSeconds=1",
            "--Serial:Devices:0:ReopenDelaySeconds=0.05",
            "--Serial:Devices:0:MaxReopenDelaySeconds=0.2",
            "--Publish:Enabled=false",
            Invariant($"--Metrics:Port={_metricsPort}"),
        };
        for (var i = 0; i < ModelChannels.Length; i++)
        {
            args.Add(Invariant($"--Serial:Devices:0:Channels:{i}={ModelChannels[i]}"));
        }

        return [.. args];
    }

    private static void WriteLines(SocatPair pair, int count)
    {
        var text = new StringBuilder("\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(Invariant($"{i * 0.01},0.5,0.25,0.125\n"));
        }

        using var device = pair.OpenDevice();
        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        device.BaseStream.Write(bytes, 0, bytes.Length);
    }

    private async Task WaitForMetricAsync(string line)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = await ScrapeAsync("/metrics");
            if (last.Contains(line + "\n", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50, Cancel);
        }

        Assert.Fail($"No line '{line}' within {Timeout.TotalSeconds} s; the last scrape was:\n{last}");
    }

    private async Task<HealthResult> HealthAsync()
    {
        using var document = JsonDocument.Parse(await ScrapeAsync("/health"));
        var root = document.RootElement;
        var reasons = root.GetProperty("reasons").EnumerateArray().Select(reason => reason.GetString()!).ToList();
        return new HealthResult(root.GetProperty("state").GetString()!, reasons);
    }

    // The listener starts on the host's background thread, so the first requests may be refused.
    private async Task<string> ScrapeAsync(string path)
    {
        var url = new Uri(Invariant($"http://127.0.0.1:{_metricsPort}{path}"));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await _client.GetStringAsync(url, Cancel);
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(50, Cancel);
            }
        }
    }

    private static string EscapeLabel(string value) =>
        SsdEdge.EdgeAgent.Observability.PrometheusTextWriter.EscapeLabelValue(value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record HealthResult(string State, IReadOnlyList<string> Reasons);
}
