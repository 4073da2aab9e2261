using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>
/// Durable, bounded queue of MQTT messages on disk, one file per message, published in append order
/// and removed only after the broker acknowledged them.
/// </summary>
/// <remarks>
/// <para>File name <c>{sequence:D19}.msg</c>. Layout, little-endian: magic <c>SSDO</c>, format
/// version (1), kind, flags (bit 0 retain), a zero byte, the sample arrival time in UTC ticks (0 when
/// unknown), topic length and payload length (int32 each), the UTF-8 topic, the payload, and a
/// SHA-256 hash of everything before it. A file whose lengths or hash do not match (a write cut short
/// by a crash or power loss) is skipped, counted in <see cref="TornFiles"/>, logged and deleted when
/// the outbox is opened.</para>
/// <para>Alerts are flushed to the device (fsync of the file and, on Linux, of the folder) before
/// <see cref="Append"/> returns. State and window messages are written without fsync: a crash of the
/// process keeps them, a power loss may not.</para>
/// <para>Full outbox (<see cref="Capacity"/> messages): the oldest non-alert message is deleted to
/// make room. A new non-alert message that finds only alerts is dropped. When alerts alone fill the
/// outbox, the oldest alert is deleted for the new one, because the newest evidence matters most and
/// the retained state topic carries the current state. Every drop is counted by kind and cause and
/// logged.</para>
/// <para>Thread-safe. Appends are serialised, so the order of sequence numbers is the order of
/// publishing.</para>
/// <para>One outbox per folder: <see cref="Open"/> takes an exclusive lock on the file
/// <c>.lock</c> in the folder and holds it until <see cref="Dispose"/>, and writes its process id to
/// <c>.owner</c>. The operating system drops the lock when the process ends, however it ends, so a
/// killed agent never leaves the folder locked.</para>
/// </remarks>
public sealed class Outbox : IDisposable
{
    /// <summary>Name of the lock file in the outbox folder.</summary>
    public const string LockFileName = ".lock";

    /// <summary>Name of the file that contains the process id of the outbox's owner.</summary>
    public const string OwnerFileName = ".owner";

    private const string Extension = ".msg";
    private const int HeaderLength = 24;
    private const int HashLength = 32;
    private const byte FormatVersion = 1;
    private static readonly byte[] Magic = "SSDO"u8.ToArray();

    private readonly Lock _appendGate = new();
    private readonly Lock _indexGate = new();
    private readonly SortedDictionary<long, OutboxEntry> _entries = [];
    private readonly SortedSet<long> _nonAlerts = [];
    private readonly Dictionary<(OutboxKind, OutboxDropCause), long> _dropped = [];
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private TaskCompletionSource _appended = NewSignal();
    private long _nextSequence;

    private Outbox(string directory, int capacity, ILogger logger, FileStream folderLock)
    {
        Directory = directory;
        Capacity = capacity;
        _logger = logger;
        _lock = folderLock;
    }

    /// <summary>Folder holding the message files.</summary>
    public string Directory { get; }

    /// <summary>Most messages kept.</summary>
    public int Capacity { get; }

    /// <summary>Torn or damaged files skipped and deleted when the outbox was opened.</summary>
    public int TornFiles { get; private set; }

    /// <summary>Messages waiting.</summary>
    public int Count
    {
        get
        {
            lock (_indexGate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Alerts waiting.</summary>
    public int AlertCount
    {
        get
        {
            lock (_indexGate)
            {
                return _entries.Count - _nonAlerts.Count;
            }
        }
    }

    /// <summary>
    /// Opens the outbox in <paramref name="directory"/>, creating the folder when needed, and loads
    /// the messages a previous run left, skipping torn files.
    /// </summary>
    /// <exception cref="OutboxLockedException">Another outbox, in this or another process, has locked
    /// the folder.</exception>
    /// <exception cref="IOException">The folder cannot be created or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not accessible.</exception>
    public static Outbox Open(string directory, int capacity, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(logger);

        var fullPath = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(fullPath);
        var folderLock = Lock(fullPath);
        try
        {
            var outbox = new Outbox(fullPath, capacity, logger, folderLock);
            outbox.Load();
            return outbox;
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>Releases the folder's lock; the messages stay on disk for the next run.</summary>
    public void Dispose() => _lock.Dispose();

    // FileShare.None is an exclusive flock on Unix and a sharing lock on Windows; both are released by
    // the operating system when the process dies.
    private static FileStream Lock(string directory)
    {
        var lockPath = Path.Combine(directory, LockFileName);
        var ownerPath = Path.Combine(directory, OwnerFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (File.Exists(lockPath))
        {
            throw new OutboxLockedException(directory, ReadOwner(ownerPath), ex);
        }

        try
        {
            File.WriteAllText(ownerPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return stream;
    }

    private static int? ReadOwner(string ownerPath)
    {
        try
        {
            return int.TryParse(File.ReadAllText(ownerPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                ? pid
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores <paramref name="message"/> after every message before it; returns false when the
    /// outbox was full of alerts and the message, not being an alert, was dropped.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written; nothing was stored.</exception>
    public bool Append(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);

        lock (_appendGate)
        {
            if (!MakeRoomFor(message.Kind))
            {
                CountDrop(message.Kind, OutboxDropCause.Full);
                DeliveryLog.OutboxFullDroppedNew(_logger, message.Kind, message.Topic, Capacity);
                return false;
            }

            var bytes = Serialize(message);
            var sequence = WriteNextFile(bytes, durable: message.Kind == OutboxKind.Alert);

            TaskCompletionSource signal;
            lock (_indexGate)
            {
                _entries.Add(sequence, new OutboxEntry(sequence, message));
                if (message.Kind != OutboxKind.Alert)
                {
                    _nonAlerts.Add(sequence);
                }

                signal = _appended;
                _appended = NewSignal();
            }

            signal.TrySetResult();
            return true;
        }
    }

    /// <summary>Returns the oldest waiting message, or null when none waits.</summary>
    public OutboxEntry? Peek()
    {
        lock (_indexGate)
        {
            foreach (var entry in _entries.Values)
            {
                return entry;
            }

            return null;
        }
    }

    /// <summary>Returns a task that completes at the next append.</summary>
    public Task WhenAppended()
    {
        lock (_indexGate)
        {
            return _appended.Task;
        }
    }

    /// <summary>Deletes a message once the broker acknowledged it; an unknown sequence (already
    /// dropped) is ignored.</summary>
    public void Remove(long sequence)
    {
        lock (_indexGate)
        {
            if (!_entries.Remove(sequence))
            {
                return;
            }

            _nonAlerts.Remove(sequence);
        }

        DeleteFile(PathOf(sequence));
    }

    /// <summary>Deletes a message that the broker rejected for good and counts the drop.</summary>
    public void Reject(OutboxEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        CountDrop(entry.Message.Kind, OutboxDropCause.RejectedByBroker);
        Remove(entry.Sequence);
    }

    /// <summary>Messages dropped so far, by kind and cause.</summary>
    public IReadOnlyList<(OutboxKind Kind, OutboxDropCause Cause, long Count)> DroppedSnapshot()
    {
        lock (_indexGate)
        {
            return _dropped
                .Select(pair => (pair.Key.Item1, pair.Key.Item2, pair.Value))
                .OrderBy(entry => entry.Item1)
                .ThenBy(entry => entry.Item2)
                .ToList();
        }
    }

    /// <summary>Messages of <paramref name="kind"/> dropped for <paramref name="cause"/> so far.</summary>
    public long Dropped(OutboxKind kind, OutboxDropCause cause)
    {
        lock (_indexGate)
        {
            return _dropped.GetValueOrDefault((kind, cause));
        }
    }

    /// <summary>Serialises a message into the file layout described on the type.</summary>
    public static byte[] Serialize(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var topic = Encoding.UTF8.GetBytes(message.Topic);
        var length = HeaderLength + topic.Length + message.Payload.Length;
        var bytes = new byte[length + HashLength];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        span[4] = FormatVersion;
        span[5] = (byte)message.Kind;
        span[6] = message.Retain ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], message.SampleReceivedUtc?.UtcTicks ?? 0);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], topic.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], message.Payload.Length);
        topic.CopyTo(span[HeaderLength..]);
        message.Payload.Span.CopyTo(span[(HeaderLength + topic.Length)..]);
        SHA256.HashData(span[..length], span[length..]);
        return bytes;
    }

    /// <summary>Reads a message written by <see cref="Serialize"/>; returns null when the bytes are
    /// torn, damaged or of another format.</summary>
    public static OutboxMessage? Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength + HashLength
            || !bytes[..4].SequenceEqual(Magic)
            || bytes[4] != FormatVersion
            || !Enum.IsDefined((OutboxKind)bytes[5]))
        {
            return null;
        }

        var topicLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]);
        if (topicLength < 0 || payloadLength < 0
            || (long)HeaderLength + topicLength + payloadLength + HashLength != bytes.Length)
        {
            return null;
        }

        var length = HeaderLength + topicLength + payloadLength;
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(bytes[..length], hash);
        if (!hash.SequenceEqual(bytes[length..]))
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        if (ticks is < 0 or > 3_155_378_975_999_999_999)
        {
            return null;
        }

        return new OutboxMessage(
            Encoding.UTF8.GetString(bytes.Slice(HeaderLength, topicLength)),
            bytes.Slice(HeaderLength + topicLength, payloadLength).ToArray(),
            (bytes[6] & 1) != 0,
            (OutboxKind)bytes[5],
            ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Called under _appendGate. Returns false when the new message has to be dropped.
    private bool MakeRoomFor(OutboxKind kind)
    {
        OutboxEntry victim;
        lock (_indexGate)
        {
            if (_entries.Count < Capacity)
            {
                return true;
            }

            if (_nonAlerts.Count > 0)
            {
                victim = _entries[_nonAlerts.Min];
            }
            else if (kind == OutboxKind.Alert)
            {
                victim = _entries.Values.First();
            }
            else
            {
                return false;
            }

            _entries.Remove(victim.Sequence);
            _nonAlerts.Remove(victim.Sequence);
            _dropped[(victim.Message.Kind, OutboxDropCause.Full)] =
                _dropped.GetValueOrDefault((victim.Message.Kind, OutboxDropCause.Full)) + 1;
        }

        DeleteFile(PathOf(victim.Sequence));
        if (victim.Message.Kind == OutboxKind.Alert)
        {
            DeliveryLog.OutboxFullDroppedAlert(_logger, victim.Message.Topic, victim.Sequence, Capacity);
        }
        else
        {
            DeliveryLog.OutboxFullDroppedOldest(_logger, victim.Message.Kind, victim.Message.Topic, Capacity);
        }

        return true;
    }

    private void CountDrop(OutboxKind kind, OutboxDropCause cause)
    {
        lock (_indexGate)
        {
            _dropped[(kind, cause)] = _dropped.GetValueOrDefault((kind, cause)) + 1;
        }
    }

    private void Load()
    {
        // A previous run may have left more files than this run's capacity; all are kept and sent.
        var files = System.IO.Directory.EnumerateFiles(Directory, "*" + Extension)
            .Select(path => (Path: path, Sequence: ParseSequence(path)))
            .Where(file => file.Sequence is not null)
            .OrderBy(file => file.Sequence)
            .ToList();
        var maxSequence = -1L;
        foreach (var (path, sequence) in files)
        {
            var value = sequence!.Value;
            maxSequence = Math.Max(maxSequence, value);
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (IOException ex)
            {
                DeliveryLog.OutboxFileUnreadable(_logger, path, ex);
                continue;
            }

            var message = Deserialize(bytes);
            if (message is null)
            {
                TornFiles++;
                DeliveryLog.OutboxFileTorn(_logger, path, bytes.Length);
                DeleteFile(path);
                continue;
            }

            _entries.Add(value, new OutboxEntry(value, message));
            if (message.Kind != OutboxKind.Alert)
            {
                _nonAlerts.Add(value);
            }
        }

        _nextSequence = maxSequence + 1;
        if (_entries.Count > 0)
        {
            DeliveryLog.OutboxLoaded(_logger, _entries.Count, _entries.Count - _nonAlerts.Count, Directory);
        }
    }

    private static long? ParseSequence(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;
    }

    private string PathOf(long sequence) =>
        Path.Combine(Directory, sequence.ToString("D19", CultureInfo.InvariantCulture) + Extension);

    // A file that already has the next sequence number belongs to another process writing the same
    // folder (a misconfiguration); the number is skipped rather than overwriting that file.
    private long WriteNextFile(byte[] bytes, bool durable)
    {
        for (var attempt = 0; ; attempt++)
        {
            var sequence = _nextSequence++;
            try
            {
                WriteFile(PathOf(sequence), bytes, durable);
                return sequence;
            }
            catch (IOException) when (attempt < 100 && File.Exists(PathOf(sequence)))
            {
            }
        }
    }

    private void WriteFile(string path, byte[] bytes, bool durable)
    {
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        {
            try
            {
                stream.Write(bytes);
                if (durable)
                {
                    stream.Flush(flushToDisk: true);
                }
            }
            catch (IOException)
            {
                // A disk that filled up mid-write leaves no partial file behind.
                stream.Dispose();
                File.Delete(path);
                throw;
            }
        }

        if (durable)
        {
            DirectorySync.Flush(Directory);
        }
    }

    private void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            DeliveryLog.OutboxDeleteFailed(_logger, path, ex);
        }
    }
}
