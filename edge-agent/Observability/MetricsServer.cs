using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Observability;

/// <summary>
/// Serves <c>GET /metrics</c> in the Prometheus text format on 127.0.0.1 only, with
/// <see cref="HttpListener"/>.
/// </summary>
/// <remarks>A port already in use is logged and the agent runs on without metrics. Every other path
/// answers 404. One request is served at a time, which is ample for a scraper.</remarks>
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
            if (context.Request.HttpMethod is not ("GET" or "HEAD") || context.Request.Url?.AbsolutePath != "/metrics")
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }

            var body = Encoding.UTF8.GetBytes(_metrics.Render());
            response.StatusCode = 200;
            response.ContentType = PrometheusTextWriter.ContentType;
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
}
