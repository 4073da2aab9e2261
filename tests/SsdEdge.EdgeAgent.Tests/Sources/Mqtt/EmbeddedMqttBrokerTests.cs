using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Mqtt;

public sealed class EmbeddedMqttBrokerTests
{
    private const int PortTakenEvent = 2108;

    [Fact]
    public async Task StartAsync_PortInUse_UsesFreePort()
    {
        var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var taken = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        await using var broker = new EmbeddedMqttBroker(taken, factory.CreateLogger<EmbeddedMqttBroker>());
        try
        {
            await broker.StartAsync(TestContext.Current.CancellationToken);

            var (host, port) = await broker.GetEndpointAsync(TestContext.Current.CancellationToken);
            Assert.Equal("127.0.0.1", host);
            Assert.NotEqual(taken, port);
            var warning = Assert.Single(logs.Entries, entry => entry.EventId == PortTakenEvent);
            Assert.Equal(LogLevel.Warning, warning.Level);
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        }
        finally
        {
            await broker.StopAsync(TestContext.Current.CancellationToken);
            occupant.Stop();
        }
    }
}
