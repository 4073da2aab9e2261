using System.Text;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>Collects written lines and completes <see cref="FirstLine"/> when the first one arrives.</summary>
public sealed class SignallingWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly TaskCompletionSource<string> _firstLine =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    public Task<string> FirstLine => _firstLine.Task;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _text.Append(value).Append('\n');
        }

        _firstLine.TrySetResult(value ?? "");
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
