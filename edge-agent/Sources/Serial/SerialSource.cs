using System.IO.Ports;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// Reads one serial device live: a dedicated thread reads the port, decodes the line or binary
/// protocol and queues <see cref="SampleBlock"/>s that <see cref="ReadAsync"/> yields.
/// </summary>
/// <remarks>
/// <para>The thread makes blocking reads of <see cref="SerialPort.BaseStream"/> with a 50 ms read
/// timeout (not the <c>DataReceived</c> event), so it notices a stop request within about 50 ms.
/// Decoded frames are flushed as blocks at least every 50 ms, or sooner once they span 50 ms of
/// samples at the nominal rate. <see cref="SampleBlock.FirstSample"/> is the device's sample index
/// (see <see cref="LineProtocolDecoder"/> and <see cref="BinaryFrameDecoder"/>), and
/// <see cref="SampleBlock.ReceivedTimestamp"/> is the <see cref="TimeProvider.GetTimestamp"/> of
/// the read that delivered the block's last frame.</para>
/// <para>Blocks wait in a bounded queue of <see cref="QueueCapacityBlocks"/> blocks, about 12.8 s
/// of samples. When the consumer falls that far behind, the oldest block is dropped, counted as
/// <see cref="IngestRejection.BufferFull"/> (per frame) and logged: the reader never blocks, because
/// a blocked reader lets the operating system's buffer overflow and lose bytes silently, which
/// without a counter would shift every later sample. The dropped block leaves a gap in the sample
/// indexes, so the pipeline restarts windowing instead of spanning it.</para>
/// <para>When the port errors or its path disappears (unplugged, or the pseudo-terminal's link
/// removed) the source logs it, closes the port and reopens it with exponential backoff from
/// <see cref="SerialDeviceOptions.ReopenDelaySeconds"/> to
/// <see cref="SerialDeviceOptions.MaxReopenDelaySeconds"/>, each wait varied by ±25 % at random.
/// After a reopen the numbering continues: the decoder is told the outage duration times the nominal
/// rate as the estimated samples lost. With a sample counter the counter places the samples; without
/// one the index jumps by that estimate (at least 1), so no window spans the outage. A port open but
/// silent for <see cref="SerialDeviceOptions.SilenceSeconds"/> is logged once, and again when bytes
/// return. <see cref="Status"/> shows the state.</para>
/// </remarks>
public sealed class SerialSource : ISampleSource, IDisposable
{
    /// <summary>Capacity of the block queue.</summary>
    public const int QueueCapacityBlocks = 256;

    /// <summary>Read timeout of the port, and the longest a decoded frame waits to be flushed, in ms.</summary>
    public const int FlushIntervalMilliseconds = 50;

    /// <summary>Consecutive empty reads, without a timeout, after which the port counts as lost.</summary>
    private const int MaxEmptyReads = 20;

    private readonly SerialDeviceOptions _options;
    private readonly IngestCounters _counters;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly int _flushFrames;
    private readonly Lock _gate = new();
    private SerialPortStatus _status;
    private Thread? _thread;
    private CancellationTokenSource? _stop;
    private Channel<SampleBlock>? _queue;
    private long _framesDropped;
    private long _blocksDropped;
    private bool _disposed;

    /// <summary>Creates a source for one validated device.</summary>
    /// <param name="options">The device's settings, checked by <see cref="SerialOptionsValidator"/>.</param>
    /// <param name="counters">Receives rejected input and dropped blocks.</param>
    /// <param name="timeProvider">Clock for arrival times, silence and backoff.</param>
    /// <param name="logger">Receives connection changes and rejections.</param>
    public SerialSource(
        SerialDeviceOptions options,
        IngestCounters counters,
        TimeProvider timeProvider,
        ILogger<SerialSource> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var check = new SerialOptionsValidator().Validate(null, Wrap(options));
        if (check.Failed)
        {
            throw new ArgumentException(
                $"Serial device '{options.DeviceId}' has invalid settings: {check.FailureMessage}", nameof(options));
        }

        _options = options;
        _counters = counters;
        _timeProvider = timeProvider;
        _logger = logger;
        Device = new DeviceDescriptor(options.DeviceId, options.ChannelNames(), options.SamplingRateHz);
        _flushFrames = Math.Max(1, (int)Math.Ceiling(options.SamplingRateHz * FlushIntervalMilliseconds / 1000.0));
        _status = new SerialPortStatus(
            options.DeviceId, options.Port, SerialPortState.Connecting, null, null, 0, null, 0, 0);
    }

    /// <summary>The device this source reads.</summary>
    public DeviceDescriptor Device { get; }

    /// <inheritdoc />
    public string Description =>
        $"serial {_options.Port} (device {_options.DeviceId}, {_options.Protocol.ToString().ToLowerInvariant()} protocol)";

    /// <summary>Current state of the port; safe to read from any thread.</summary>
    public SerialPortStatus Status => Volatile.Read(ref _status);

    /// <summary>Seconds without a byte after which the open port counts as silent.</summary>
    public double SilenceSeconds => _options.SilenceSeconds;

    /// <summary>Time since the latest byte arrived, on this source's clock, or null before the first.</summary>
    public TimeSpan? LastDataAge =>
        Status.LastDataTimestamp is { } last ? _timeProvider.GetElapsedTime(last) : null;

    /// <inheritdoc />
    /// <remarks>Starts the reader thread on the first <c>MoveNextAsync</c> and stops it, within
    /// about 50 ms, when the enumeration ends or is cancelled. The sequence ends only when the source
    /// is disposed. One enumeration at a time.</remarks>
    /// <exception cref="InvalidOperationException">Another enumeration is running.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public async IAsyncEnumerable<SampleBlock> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var queue = Start();
        try
        {
            await foreach (var block in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return block;
            }
        }
        finally
        {
            Stop();
        }
    }

    /// <summary>Stops the reader thread and ends any enumeration.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Stop();
    }

    private static SerialOptions Wrap(SerialDeviceOptions device)
    {
        var options = new SerialOptions();
        options.Devices.Add(device);
        return options;
    }

    private Channel<SampleBlock> Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_thread is not null)
            {
                throw new InvalidOperationException(
                    $"Serial device '{_options.DeviceId}' is already being read; one enumeration at a time.");
            }

            var queue = Channel.CreateBounded<SampleBlock>(
                new BoundedChannelOptions(QueueCapacityBlocks)
                {
                    FullMode = BoundedChannelFullMode.DropOldest,
                    SingleReader = true,
                    SingleWriter = true,
                },
                OnBlockDropped);
            var stop = new CancellationTokenSource();
            var thread = new Thread(() => Run(queue.Writer, stop.Token))
            {
                IsBackground = true,
                Name = $"serial {_options.DeviceId}",
            };
            _queue = queue;
            _stop = stop;
            _thread = thread;
            var channels = string.Join(", ", Device.ChannelNames);
            SerialLog.SourceStarting(
                _logger,
                _options.DeviceId,
                _options.Port,
                _options.BaudRate,
                _options.Protocol,
                _options.SamplingRateHz,
                channels);
            thread.Start();
            return queue;
        }
    }

    private void Stop()
    {
        Thread? thread;
        CancellationTokenSource? stop;
        Channel<SampleBlock>? queue;
        lock (_gate)
        {
            thread = _thread;
            stop = _stop;
            queue = _queue;
            _thread = null;
            _stop = null;
            _queue = null;
        }

        if (thread is null)
        {
            return;
        }

        stop!.Cancel();

        // The thread checks the token after each read, which times out after 50 ms.
        if (!thread.Join(TimeSpan.FromSeconds(2)))
        {
            SerialLog.ReaderFailed(
                _logger, _options.DeviceId, _options.Port, new TimeoutException("The reader did not stop within 2 s."));
        }

        stop.Dispose();
        queue!.Writer.TryComplete();
        UpdateStatus(status => status with { State = SerialPortState.Stopped });
    }

    private void OnBlockDropped(SampleBlock block)
    {
        // Logged for drops 1 to 5, 10, 100, 1000 and so on, and before it is counted, so a reader of
        // the counter finds the first log entry too.
        var total = Interlocked.Add(ref _framesDropped, block.FrameCount);
        var drops = Interlocked.Increment(ref _blocksDropped);
        if (drops <= 5 || IsPowerOfTen(drops))
        {
            SerialLog.BufferFull(_logger, _options.DeviceId, block.FrameCount, block.FirstSample, total);
        }

        _counters.AddRejected(_options.DeviceId, IngestRejection.BufferFull, block.FrameCount);
    }

    private static bool IsPowerOfTen(long value)
    {
        while (value >= 10 && value % 10 == 0)
        {
            value /= 10;
        }

        return value == 1;
    }

    private void UpdateStatus(Func<SerialPortStatus, SerialPortStatus> change)
    {
        lock (_gate)
        {
            Volatile.Write(ref _status, change(_status));
        }
    }

    private ISerialDecoder CreateDecoder() => _options.Protocol == SerialProtocol.Binary
        ? new BinaryFrameDecoder(_options.DeviceId, Device.ChannelCount, _counters, _logger)
        : new LineProtocolDecoder(_options, _counters, _logger);

    private void Run(ChannelWriter<SampleBlock> writer, CancellationToken stop)
    {
        try
        {
            new PortReader(this, writer, stop).Run();
            writer.TryComplete();
        }
#pragma warning disable CA1031 // The failure ends the enumeration with this exception, which the agent reports.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SerialLog.ReaderFailed(_logger, _options.DeviceId, _options.Port, ex);
            writer.TryComplete(ex);
        }
    }

    /// <summary>State of the reader thread: the open-read-reopen loop of one port.</summary>
    private sealed class PortReader(SerialSource source, ChannelWriter<SampleBlock> writer, CancellationToken stop)
    {
        private readonly SerialDeviceOptions _options = source._options;
        private readonly ISerialDecoder _decoder = source.CreateDecoder();
        private readonly DecodedFrames _frames = new(source.Device.ChannelCount);
        private readonly byte[] _buffer = new byte[4096];
        private long _bytes;
        private long _framesDecoded;
        private long? _lastDataTimestamp;
        private long _lastFrameTimestamp;
        private long? _pendingSince;

        public void Run()
        {
            var opened = false;
            while (!stop.IsCancellationRequested)
            {
                var lostAt = source._timeProvider.GetTimestamp();
                var (port, attempts) = OpenWithBackoff(opened);
                if (port is null)
                {
                    break;
                }

                OnOpened(opened, lostAt, attempts);
                opened = true;
                var lost = ReadUntilLost(port);
                Flush();
                Close(port);
                if (lost is null)
                {
                    break;
                }

                source.UpdateStatus(status => status with
                {
                    State = SerialPortState.Reconnecting,
                    LastError = lost.Message,
                });
                SerialLog.PortLost(source._logger, _options.DeviceId, _options.Port, lost.Message);
                SerialLog.PortLostDetails(source._logger, _options.DeviceId, _options.Port, lost);
            }

            SerialLog.SourceStopped(source._logger, _options.DeviceId, _options.Port, _bytes, _framesDecoded);
        }

        private void OnOpened(bool reopened, long lostAt, int attempts)
        {
            var estimated = 0L;
            if (reopened)
            {
                var since = _lastDataTimestamp ?? lostAt;
                var outage = source._timeProvider.GetElapsedTime(since);
                estimated = (long)Math.Round(outage.TotalSeconds * _options.SamplingRateHz);
                var numbering = _options.Protocol == SerialProtocol.Binary || _options.SequenceField is not null
                    ? "follows the device's counter"
                    : $"jumps by {Math.Max(1, estimated)} samples, as the lines carry no counter";
                SerialLog.PortReopened(
                    source._logger, _options.DeviceId, _options.Port, outage.TotalSeconds, attempts, estimated, numbering);
            }
            else
            {
                SerialLog.PortOpened(source._logger, _options.DeviceId, _options.Port);
            }

            _decoder.Resynchronize(estimated);
            source.UpdateStatus(status => status with
            {
                State = SerialPortState.Connected,
                Reopens = status.Reopens + (reopened ? 1 : 0),
            });
        }

        /// <summary>Opens the port, retrying with backoff; returns null when stopped.</summary>
        private (SerialPort? Port, int Attempts) OpenWithBackoff(bool reopening)
        {
            var delay = _options.ReopenDelaySeconds;
            if (reopening && !Wait(Jitter(delay)))
            {
                return (null, 0);
            }

            for (var attempt = 1; !stop.IsCancellationRequested; attempt++)
            {
                var port = TryOpen(out var reason);
                if (port is not null)
                {
                    return (port, attempt);
                }

                var wait = Jitter(delay);
                if (attempt == 1)
                {
                    SerialLog.PortOpenFailed(
                        source._logger,
                        _options.DeviceId,
                        _options.Port,
                        reason,
                        _options.ReopenDelaySeconds,
                        _options.MaxReopenDelaySeconds);
                }
                else
                {
                    SerialLog.PortReopenAttemptFailed(
                        source._logger, _options.DeviceId, attempt, _options.Port, reason, wait);
                }

                source.UpdateStatus(status => status with { LastError = reason });
                if (!Wait(wait))
                {
                    break;
                }

                delay = Math.Min(delay * 2, _options.MaxReopenDelaySeconds);
            }

            return (null, 0);
        }

        /// <summary>Closes a port; closing a vanished device may fail, and the port is gone either way.</summary>
        private static void Close(SerialPort port)
        {
            try
            {
                port.Dispose();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException
                or ObjectDisposedException)
            {
                // Nothing is left to release.
            }
        }

        private static double Jitter(double seconds) => seconds * (0.75 + (0.5 * Random.Shared.NextDouble()));

        /// <summary>Waits, returning false when stopped first.</summary>
        private bool Wait(double seconds) =>
            !stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(seconds));

        private SerialPort? TryOpen(out string reason)
        {
            // SerialPort reports a missing path as "access denied", so existence is checked first.
            if (!File.Exists(_options.Port))
            {
                reason = "the port path does not exist";
                return null;
            }

            var port = new SerialPort(_options.Port, _options.BaudRate, Parity.None, 8, StopBits.One)
            {
                ReadTimeout = FlushIntervalMilliseconds,
                Handshake = Handshake.None,
            };
            try
            {
                port.Open();
                port.DiscardInBuffer();
                reason = "";
                return port;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException
                or ArgumentException)
            {
                port.Dispose();
                reason = ex.Message;
                return null;
            }
        }

        /// <summary>Reads until stopped (returns null) or the port is lost (returns why).</summary>
        private Exception? ReadUntilLost(SerialPort port)
        {
            var stream = port.BaseStream;
            var silent = false;
            var emptyReads = 0;
            var lastByte = source._timeProvider.GetTimestamp();
            while (!stop.IsCancellationRequested)
            {
                int count;
                var timedOut = false;
                try
                {
                    count = stream.Read(_buffer);
                }
                catch (TimeoutException)
                {
                    count = 0;
                    timedOut = true;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException
                    or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
                {
                    return stop.IsCancellationRequested ? null : ex;
                }

                var now = source._timeProvider.GetTimestamp();
                if (count > 0)
                {
                    emptyReads = 0;
                    if (silent)
                    {
                        silent = false;
                        var silentSeconds = SilentSeconds();
                        SerialLog.PortResumed(source._logger, _options.DeviceId, _options.Port, silentSeconds);
                    }

                    lastByte = now;

                    OnBytes(_buffer.AsSpan(0, count), now);
                }
                else
                {
                    if (!File.Exists(_options.Port))
                    {
                        return new IOException($"The port path {_options.Port} no longer exists.");
                    }

                    if (!timedOut && ++emptyReads >= MaxEmptyReads)
                    {
                        return new IOException("The port returned end of stream repeatedly.");
                    }

                    if (!silent && source._timeProvider.GetElapsedTime(lastByte).TotalSeconds >= _options.SilenceSeconds)
                    {
                        silent = true;
                        source.UpdateStatus(status => status with { State = SerialPortState.Silent });
                        var silentSeconds = SilentSeconds();
                        SerialLog.PortSilent(source._logger, _options.DeviceId, _options.Port, silentSeconds);
                    }

                    if (!timedOut)
                    {
                        Thread.Sleep(FlushIntervalMilliseconds);
                    }
                }

                if (_frames.Count >= source._flushFrames
                    || (_pendingSince is { } since
                        && source._timeProvider.GetElapsedTime(since).TotalMilliseconds >= FlushIntervalMilliseconds))
                {
                    Flush();
                }
            }

            return null;

            double SilentSeconds() => source._timeProvider.GetElapsedTime(lastByte).TotalSeconds;
        }

        private void OnBytes(ReadOnlySpan<byte> bytes, long now)
        {
            _bytes += bytes.Length;
            _lastDataTimestamp = now;
            var before = _frames.Count;
            _decoder.Decode(bytes, _frames);
            var decoded = _frames.Count - before;
            if (decoded > 0)
            {
                _framesDecoded += decoded;
                _lastFrameTimestamp = now;
                _pendingSince ??= now;
            }

            var wallClock = source._timeProvider.GetUtcNow();
            source.UpdateStatus(status => status with
            {
                State = SerialPortState.Connected,
                LastDataTime = wallClock,
                LastDataTimestamp = now,
                BytesReceived = _bytes,
                FramesDecoded = _framesDecoded,
            });
        }

        private void Flush()
        {
            _pendingSince = null;
            if (_frames.Count == 0)
            {
                return;
            }

            foreach (var block in _frames.TakeBlocks(source.Device, _lastFrameTimestamp))
            {
                // DropOldest makes every write succeed; a full queue drops its oldest block instead.
                writer.TryWrite(block);
            }
        }
    }
}
