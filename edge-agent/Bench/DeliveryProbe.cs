using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// Wraps the agent's <see cref="AlertSink"/>: before each window reaches it, records when the
/// window's last sample arrived, and after it, whether the window raised or cleared an alert. A
/// subscriber then hands every message it receives to <see cref="Received"/>, which matches the
/// message to its window and records the latency.
/// </summary>
/// <remarks>
/// Only windows whose last sample arrived inside the measured interval
/// (<see cref="Measure"/>) count. Thread-safe: the pipeline thread writes, the subscriber's
/// thread reads.
/// </remarks>
internal sealed class DeliveryProbe : IWindowSink
{
    private readonly AlertSink _inner;
    private readonly ConcurrentDictionary<(string DeviceId, long EndSample), Window> _windows = new();
    private readonly ConcurrentDictionary<(bool Alert, string DeviceId, long EndSample), byte> _seen = new();
    private readonly Lock _gate = new();
    private readonly List<double> _windowLatenciesMs = [];
    private readonly List<double> _alertLatenciesMs = [];
    private readonly List<double> _alertWriteMs = [];
    private long _measureStart = long.MaxValue;
    private long _measureEnd = long.MaxValue;
    private long _windowsExpected;
    private long _alertsExpected;
    private long _windowsReceived;
    private long _alertsReceived;
    private long _duplicates;
    private long _unmatched;

    public DeliveryProbe(AlertSink inner)
    {
        _inner = inner;
    }

    /// <summary>Windows with their last sample inside the interval that reached the sink.</summary>
    public long WindowsExpected => Interlocked.Read(ref _windowsExpected);

    /// <summary>Raise and clear events those windows caused.</summary>
    public long AlertsExpected => Interlocked.Read(ref _alertsExpected);

    /// <summary>Window messages of those windows received by the subscriber.</summary>
    public long WindowsReceived => Interlocked.Read(ref _windowsReceived);

    /// <summary>Alert messages of those windows received by the subscriber.</summary>
    public long AlertsReceived => Interlocked.Read(ref _alertsReceived);

    /// <summary>Messages received more than once (QoS 1 allows redelivery).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Alert or window messages that matched no window the probe saw.</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);

    /// <summary>Sets the interval, as <see cref="Stopwatch"/> timestamps, in which arrivals count.</summary>
    public void Measure(long start, long end)
    {
        Interlocked.Exchange(ref _measureStart, start);
        Interlocked.Exchange(ref _measureEnd, end);
    }

    /// <summary>Returns copies of the latencies measured so far, in ms.</summary>
    public (double[] WindowMs, double[] AlertMs, double[] AlertWriteMs) Latencies()
    {
        lock (_gate)
        {
            return ([.. _windowLatenciesMs], [.. _alertLatenciesMs], [.. _alertWriteMs]);
        }
    }

    /// <inheritdoc />
    public void Write(WindowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var arrival = result.LastSampleReceivedTimestamp;
        var counted = InInterval(arrival);
        _windows[(result.DeviceId, result.EndSample)] = new Window(arrival, counted);
        var before = _inner.StateOf(result.DeviceId) ?? AlertState.Clear;
        var started = Stopwatch.GetTimestamp();
        _inner.Write(result);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var after = _inner.StateOf(result.DeviceId) ?? AlertState.Clear;
        if (!counted)
        {
            return;
        }

        Interlocked.Increment(ref _windowsExpected);
        if (before != after)
        {
            Interlocked.Increment(ref _alertsExpected);
            lock (_gate)
            {
                _alertWriteMs.Add(elapsedMs);
            }
        }
    }

    /// <inheritdoc />
    public void Complete(RunSummary summary) => _inner.Complete(summary);

    /// <summary>Matches one message from the alert or window topic to its window.</summary>
    /// <param name="topic">Topic the message came on.</param>
    /// <param name="payload">Its JSON payload.</param>
    /// <param name="receivedTimestamp"><see cref="Stopwatch.GetTimestamp"/> when it arrived.</param>
    public void Received(string topic, ReadOnlySequence<byte> payload, long receivedTimestamp)
    {
        var alert = topic.EndsWith("/alert", StringComparison.Ordinal);
        if (!alert && !topic.EndsWith("/window", StringComparison.Ordinal))
        {
            return;
        }

        if (!TryReadWindow(payload, out var deviceId, out var endSample)
            || !_windows.TryGetValue((deviceId, endSample), out var window))
        {
            Interlocked.Increment(ref _unmatched);
            return;
        }

        if (!window.Counted)
        {
            return;
        }

        if (!_seen.TryAdd((alert, deviceId, endSample), 0))
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        var latencyMs = Stopwatch.GetElapsedTime(window.Arrival, receivedTimestamp).TotalMilliseconds;
        lock (_gate)
        {
            (alert ? _alertLatenciesMs : _windowLatenciesMs).Add(latencyMs);
        }

        Interlocked.Increment(ref alert ? ref _alertsReceived : ref _windowsReceived);
    }

    private bool InInterval(long timestamp) =>
        timestamp != 0
        && timestamp >= Interlocked.Read(ref _measureStart)
        && timestamp <= Interlocked.Read(ref _measureEnd);

    // Reads deviceId and windowEndSample from an alert or window payload.
    private static bool TryReadWindow(ReadOnlySequence<byte> payload, out string deviceId, out long endSample)
    {
        deviceId = "";
        endSample = -1;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDevice = reader.ValueTextEquals("deviceId"u8);
                var isEnd = reader.ValueTextEquals("windowEndSample"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isDevice && reader.TokenType == JsonTokenType.String)
                {
                    deviceId = reader.GetString() ?? "";
                }
                else if (isEnd && reader.TokenType == JsonTokenType.Number)
                {
                    endSample = reader.GetInt64();
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return deviceId.Length > 0 && endSample >= 0;
    }

    private readonly record struct Window(long Arrival, bool Counted);
}
