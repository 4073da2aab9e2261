using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>
/// An MQTT subscriber with a persistent session (clean start off, one-hour session expiry, QoS 1)
/// that reconnects on its own every 100 ms while disconnected, and counts alert ids.
/// </summary>
public sealed class TestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttClientOptions _options;
    private readonly string _filter;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _alertIds = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Topic, string Payload, bool Retain)> _messages = new();
    private Task? _loop;

    public TestSubscriber(int port, string filter, string clientId = "ssdedge-test-subscriber")
    {
        _filter = filter;
        _options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .WithTimeout(TimeSpan.FromSeconds(2))
            .Build();
        _client.ApplicationMessageReceivedAsync += arguments =>
        {
            var message = arguments.ApplicationMessage;
            var payload = Encoding.UTF8.GetString(message.Payload);
            _messages.Enqueue((message.Topic, payload, message.Retain));
            if (message.Topic.EndsWith("/alert", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(payload);
                var id = json.RootElement.GetProperty("id").GetString()!;
                _alertIds.AddOrUpdate(id, 1, (_, count) => count + 1);
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>Alert ids received, with how often each arrived.</summary>
    public IReadOnlyDictionary<string, int> AlertIds => _alertIds;

    public IReadOnlyList<(string Topic, string Payload, bool Retain)> Messages => _messages.ToList();

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects and subscribes, then keeps reconnecting in the background.</summary>
    public async Task StartAsync()
    {
        await ConnectAsync();
        _loop = Task.Run(ReconnectLoopAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions());
            }
            catch (Exception ex) when (ex is MqttCommunicationException or IOException or ObjectDisposedException)
            {
                // The broker may stop before the subscriber, as the agent's embedded broker does
                // when a run ends; the connection is gone either way.
            }
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task ConnectAsync()
    {
        var result = await _client.ConnectAsync(_options, _stop.Token);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"subscriber rejected: {result.ResultCode}");
        }

        if (!result.IsSessionPresent)
        {
            await _client.SubscribeAsync(_filter, MqttQualityOfServiceLevel.AtLeastOnce, _stop.Token);
        }
    }

    private async Task ReconnectLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(100, _stop.Token);
                if (!_client.IsConnected)
                {
                    await ConnectAsync();
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The broker is being broken on purpose; the loop tries again.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
