using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>
/// An in-process MQTT broker (MQTTnet.Server) on 127.0.0.1, started with the host, for the agent's
/// default set-up: the simulator publishes into it and the MQTT source subscribes to it.
/// </summary>
/// <remarks>
/// It listens on IPv4 loopback only, without TLS or authentication, so only programs on the same
/// machine reach it. When the configured port is in use, it listens on a free port instead and
/// logs a warning naming both. Port 0 always picks a free port. <see cref="GetEndpointAsync"/> returns
/// the port once it listens.
/// </remarks>
public sealed class EmbeddedMqttBroker : IHostedService, IAsyncDisposable
{
    private readonly int _requestedPort;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttServer? _server;

    /// <summary>Creates the broker; it listens once <see cref="StartAsync"/> has run.</summary>
    /// <param name="port">Port to listen on, or 0 for a free one.</param>
    /// <param name="logger">Receives the port and start and stop.</param>
    public EmbeddedMqttBroker(int port, ILogger<EmbeddedMqttBroker> logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentNullException.ThrowIfNull(logger);
        _requestedPort = port;
        _logger = logger;
    }

    /// <summary>Port the broker listens on; 0 before it has started.</summary>
    public int Port { get; private set; }

    /// <summary>Returns 127.0.0.1 and the port once the broker listens.</summary>
    public async Task<(string Host, int Port)> GetEndpointAsync(CancellationToken cancellationToken)
    {
        var port = await _listening.Task.WaitAsync(cancellationToken);
        return (IPAddress.Loopback.ToString(), port);
    }

    /// <inheritdoc />
    /// <exception cref="SocketException">No port could be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = _requestedPort;
        if (port == 0 || !IsFree(port))
        {
            var requested = port;
            port = FreePort();
            if (requested != 0)
            {
                MqttLog.BrokerPortTaken(_logger, requested, port);
            }
        }

        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build();
        _server = factory.CreateMqttServer(options);
        await _server.StartAsync();
        Port = port;
        _listening.TrySetResult(port);
        MqttLog.BrokerStarted(_logger, port);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true } server)
        {
            await server.StopAsync();
            MqttLog.BrokerStopped(_logger);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _listening.TrySetCanceled();
        _server?.Dispose();
        _server = null;
        return ValueTask.CompletedTask;
    }

    private static bool IsFree(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
