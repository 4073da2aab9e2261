using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>Keeps every log entry of every category, and signals when an event id is first logged.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<LogEntry> _entries = [];
    private readonly Dictionary<int, TaskCompletionSource> _awaited = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return _entries.ToList();
            }
        }
    }

    /// <summary>Completes when an entry with <paramref name="eventId"/> is logged.</summary>
    public Task WhenLogged(int eventId)
    {
        lock (_gate)
        {
            if (_entries.Any(entry => entry.EventId == eventId))
            {
                return Task.CompletedTask;
            }

            if (!_awaited.TryGetValue(eventId, out var signal))
            {
                signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _awaited.Add(eventId, signal);
            }

            return signal.Task;
        }
    }

    public ILogger CreateLogger(string categoryName) => new CollectingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            _entries.Add(entry);
            _awaited.Remove(entry.EventId, out signal);
        }

        signal?.TrySetResult();
    }

    public sealed record LogEntry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception = null);

    private sealed class CollectingLogger(CollectingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            provider.Add(new LogEntry(category, logLevel, eventId.Id, formatter(state, exception), exception));
        }
    }
}
