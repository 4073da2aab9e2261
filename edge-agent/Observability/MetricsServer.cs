using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Observability;

/// <summary>
/// Serves <c>GET /metrics</c> in the Prometheus text format and <c>GET /health</c> as JSON on
/// 127.0.0.1 only, with <see cref="HttpListener"/>.
/// </summary>
/// <remarks>
/// <para><c>/health</c> returns <c>{"state": "healthy|degraded|unhealthy", "reasons": [...]}</c>
/// with status 200, or 503 while unhealthy, so a plain HTTP check can tell a working agent.</para>
/// <para>A port already in use is logged and the agent runs on without metrics. Every other path
/// returns 404. One request is served at a time, which is ample for a scraper.</para>
/// </remarks>
public sealed class MetricsServer : BackgroundService
{
    private readonly AgentMetrics _metrics;
    private readonly MetricsOptions _options;
    private readonly ILogger<MetricsServer> _logger;

    /// <summary>Creates the server; it listens once the host starts.</summary>
    public MetricsServer(AgentMetrics metrics, MetricsOptions options, ILogger<MetricsServer> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _metrics = metrics;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        var prefix = $"http://127.0.0.1:{_options.Port}/";
        listener.Prefixes.Add(prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException ex)
        {
            ObservabilityLog.MetricsListenFailed(_logger, prefix, ex.Message);
            return;
        }

        ObservabilityLog.MetricsListening(_logger, prefix + "metrics");
        using var registration = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                if (!stoppingToken.IsCancellationRequested)
                {
                    ObservabilityLog.MetricsListenerStopped(_logger, ex.Message);
                }

                return;
            }

            await RespondAsync(context).ConfigureAwait(false);
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath;
            if (context.Request.HttpMethod is not ("GET" or "HEAD") || path is not ("/metrics" or "/health"))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }

            byte[] body;
            if (path == "/metrics")
            {
                body = Encoding.UTF8.GetBytes(_metrics.Render());
                response.StatusCode = 200;
                response.ContentType = PrometheusTextWriter.ContentType;
            }
            else
            {
                var report = _metrics.Health.Evaluate();
                body = HealthJson(report);
                response.StatusCode = report.State == HealthState.Unhealthy ? 503 : 200;
                response.ContentType = "application/json; charset=utf-8";
            }

            response.ContentLength64 = body.Length;
            if (context.Request.HttpMethod == "GET")
            {
                await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
            }

            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // A scraper that hung up must not stop the server.
            ObservabilityLog.MetricsResponseFailed(_logger, ex.Message);
        }
    }

    private static byte[] HealthJson(HealthReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("state", report.State.ToString().ToLowerInvariant());
            json.WriteStartArray("reasons");
            foreach (var reason in report.Reasons)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
