using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Delivery;

public sealed class OutboxTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static OutboxMessage Message(OutboxKind kind, int number) =>
        new($"ssdedge/a/d/{kind}", Encoding.UTF8.GetBytes($"{{\"n\":{number}}}"), kind == OutboxKind.State, kind, null);

    private Outbox Open(int capacity = 100) => Outbox.Open(_directory.Path, capacity, NullLogger.Instance);

    private static int Number(OutboxEntry entry) =>
        int.Parse(Encoding.UTF8.GetString(entry.Message.Payload.Span)[5..^1], System.Globalization.CultureInfo.InvariantCulture);

    private static List<OutboxEntry> Drain(Outbox outbox)
    {
        var entries = new List<OutboxEntry>();
        while (outbox.Peek() is { } entry)
        {
            entries.Add(entry);
            outbox.Remove(entry.Sequence);
        }

        return entries;
    }

    [Fact]
    public void Reopen_KeepsOrderAndContent()
    {
        using var outbox = Open();
        for (var i = 0; i < 5; i++)
        {
            outbox.Append(Message(i % 2 == 0 ? OutboxKind.Alert : OutboxKind.Window, i));
        }

        outbox.Dispose();
        using var reopened = Open();
        var entries = Drain(reopened);

        Assert.Equal([0, 1, 2, 3, 4], entries.Select(Number));
        Assert.Equal(OutboxKind.Alert, entries[0].Message.Kind);
        Assert.Empty(Directory.EnumerateFiles(_directory.Path, "*.msg"));
    }

    [Fact]
    public void Remove_DeletesFile()
    {
        using var outbox = Open();
        outbox.Append(Message(OutboxKind.Alert, 1));
        var entry = outbox.Peek()!;

        outbox.Remove(entry.Sequence);

        Assert.Equal(0, outbox.Count);
        Assert.Empty(Directory.EnumerateFiles(_directory.Path, "*.msg"));
    }

    [Fact]
    public void Full_DropsOldestNonAlertsAndKeepsAlerts()
    {
        using var outbox = Open(capacity: 10);
        for (var i = 0; i < 6; i++)
        {
            outbox.Append(Message(OutboxKind.Alert, i));
        }

        for (var i = 6; i < 16; i++)
        {
            outbox.Append(Message(OutboxKind.Window, i));
        }

        Assert.Equal(10, outbox.Count);
        Assert.Equal(6, outbox.AlertCount);
        Assert.Equal(6, outbox.Dropped(OutboxKind.Window, OutboxDropCause.Full));
        Assert.Equal(0, outbox.Dropped(OutboxKind.Alert, OutboxDropCause.Full));
        Assert.Equal([0, 1, 2, 3, 4, 5, 12, 13, 14, 15], Drain(outbox).Select(Number));
    }

    [Fact]
    public void FullOfAlerts_DropsNewNonAlert()
    {
        using var outbox = Open(capacity: 10);
        for (var i = 0; i < 10; i++)
        {
            outbox.Append(Message(OutboxKind.Alert, i));
        }

        var stored = outbox.Append(Message(OutboxKind.State, 99));

        Assert.False(stored);
        Assert.Equal(10, outbox.AlertCount);
        Assert.Equal(1, outbox.Dropped(OutboxKind.State, OutboxDropCause.Full));
    }

    [Fact]
    public void FullOfAlerts_NewAlertReplacesOldest()
    {
        using var outbox = Open(capacity: 10);
        for (var i = 0; i < 11; i++)
        {
            outbox.Append(Message(OutboxKind.Alert, i));
        }

        Assert.Equal(10, outbox.AlertCount);
        Assert.Equal(1, outbox.Dropped(OutboxKind.Alert, OutboxDropCause.Full));
        Assert.Equal(Enumerable.Range(1, 10), Drain(outbox).Select(Number));
    }

    [Fact]
    public void TornTail_SkippedCountedAndDeleted()
    {
        using var outbox = Open();
        for (var i = 0; i < 3; i++)
        {
            outbox.Append(Message(OutboxKind.Alert, i));
        }

        // A SIGKILL mid-write leaves the newest file cut short.
        var files = Directory.EnumerateFiles(_directory.Path, "*.msg").Order(StringComparer.Ordinal).ToList();
        var torn = File.ReadAllBytes(files[^1]);
        File.WriteAllBytes(files[^1], torn[..(torn.Length / 2)]);
        outbox.Dispose();

        using var reopened = Open();

        Assert.Equal(1, reopened.TornFiles);
        Assert.False(File.Exists(files[^1]));
        reopened.Append(Message(OutboxKind.Alert, 3));
        Assert.Equal([0, 1, 3], Drain(reopened).Select(Number));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    [InlineData(60)]
    public void Deserialize_DamagedBytesReturnsNull(int flippedByte)
    {
        var bytes = Outbox.Serialize(Message(OutboxKind.Alert, 7));
        bytes[flippedByte] ^= 0x40;

        Assert.Null(Outbox.Deserialize(bytes));
    }

    [Fact]
    public void Deserialize_EmptyOrForeignFileReturnsNull()
    {
        Assert.Null(Outbox.Deserialize([]));
        Assert.Null(Outbox.Deserialize("not an outbox file at all, just text"u8));
    }

    [Fact]
    public void Serialize_RoundTripsEveryField()
    {
        var received = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 891, TimeSpan.Zero);
        var message = new OutboxMessage("ssdedge/a/dev/state", "{\"x\":1}"u8.ToArray(), true, OutboxKind.State, received);

        var copy = Outbox.Deserialize(Outbox.Serialize(message))!;

        Assert.Equal(message.Topic, copy.Topic);
        Assert.Equal(message.Payload.ToArray(), copy.Payload.ToArray());
        Assert.True(copy.Retain);
        Assert.Equal(OutboxKind.State, copy.Kind);
        Assert.Equal(received, copy.SampleReceivedUtc);
    }

    [Fact]
    public void Open_SecondOutboxOnHeldFolderThrows()
    {
        using var first = Open();
        first.Append(Message(OutboxKind.Alert, 1));

        var ex = Assert.Throws<OutboxLockedException>(() => Open());

        Assert.Equal(Environment.ProcessId, ex.OwnerProcessId);
        Assert.Contains(_directory.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Publish:OutboxDirectory", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, first.Count);
        Assert.Single(Directory.EnumerateFiles(_directory.Path, "*.msg"));
    }

    [Fact]
    public void Dispose_ReleasesFolderForNextOutbox()
    {
        var first = Open();
        first.Append(Message(OutboxKind.Alert, 1));
        first.Dispose();

        using var second = Open();

        Assert.Equal([1], Drain(second).Select(Number));
    }
}
