using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Writes log messages as single lines ("bench: level: message") to a text writer, so the
/// benchmark's progress goes to the error stream it was given while its report goes to standard
/// output.</summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(this);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string message, Exception? exception)
    {
        lock (_gate)
        {
            writer.WriteLine($"bench: {level.ToString().ToLowerInvariant()}: {message}");
            if (exception is not null && level >= LogLevel.Error)
            {
                writer.WriteLine(exception.ToString());
            }

            writer.Flush();
        }
    }

    private sealed class TextWriterLogger(TextWriterLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, formatter(state, exception), exception);
            }
        }
    }
}
