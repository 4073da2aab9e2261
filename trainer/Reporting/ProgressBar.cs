using System.Globalization;
using System.Text;

namespace SsdEdge.Trainer.Reporting;

/// <summary>
/// Console progress of a training run. On a terminal it redraws one line per batch with a
/// carriage return. Into a log file or a pipe it writes one line per finished epoch instead.
/// </summary>
/// <remarks>Not thread-safe: report from the training loop's thread.</remarks>
public sealed class ProgressBar
{
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly int _barWidth;
    private int _lineLength;

    /// <summary>Creates a progress display on <paramref name="output"/>.</summary>
    /// <param name="output">Writer to draw on, usually <see cref="Console.Out"/>.</param>
    /// <param name="interactive">
    /// Whether <paramref name="output"/> is a terminal; pass
    /// <c>!Console.IsOutputRedirected</c> for the console.
    /// </param>
    /// <param name="barWidth">Characters between the brackets of the bar.</param>
    public ProgressBar(TextWriter output, bool interactive, int barWidth = 30)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(barWidth);
        _output = output;
        _interactive = interactive;
        _barWidth = barWidth;
    }

    /// <summary>Shows the progress after a batch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An epoch or batch number is out of range.</exception>
    public void Report(BatchProgressInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Check(info);

        var line = Format(info);
        if (_interactive)
        {
            // Pad with spaces so that a shorter line fully covers the previous one.
            _output.Write('\r');
            _output.Write(line.PadRight(_lineLength));
            _output.Flush();
            _lineLength = line.Length;
        }
        else if (info.Batch == info.Batches)
        {
            _output.WriteLine(line);
        }
    }

    /// <summary>
    /// Writes a whole line, such as an epoch summary, above the progress line; the next
    /// <see cref="Report"/> draws a fresh progress line below it.
    /// </summary>
    public void WriteLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_interactive && _lineLength > 0)
        {
            _output.Write('\r');
            _output.Write(message.PadRight(_lineLength));
            _output.WriteLine();
            _lineLength = 0;
            return;
        }

        _output.WriteLine(message);
    }

    /// <summary>Ends the progress line so that later output starts on a new line.</summary>
    public void Complete()
    {
        if (_interactive && _lineLength > 0)
        {
            _output.WriteLine();
            _lineLength = 0;
        }
    }

    /// <summary>
    /// Formats one progress line, for example
    /// <c>epoch 3/20 [######-------] batch 45/120 loss 0.6931 1234 windows/s ETA 00:12:34</c>.
    /// </summary>
    public string Format(BatchProgressInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Check(info);

        var totalBatches = (long)info.Epochs * info.Batches;
        var doneBatches = (long)(info.Epoch - 1) * info.Batches + info.Batch;
        var filled = (int)(_barWidth * (long)info.Batch / info.Batches);

        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"epoch {info.Epoch}/{info.Epochs} [");
        line.Append('#', filled).Append('-', _barWidth - filled).Append("] ");
        line.Append(CultureInfo.InvariantCulture, $"batch {info.Batch}/{info.Batches} ");
        line.Append(double.IsFinite(info.MeanLoss)
            ? string.Create(CultureInfo.InvariantCulture, $"loss {info.MeanLoss:F4} ")
            : "loss not finite ");
        line.Append(double.IsFinite(info.WindowsPerSecond) && info.WindowsPerSecond >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"{info.WindowsPerSecond:F0} windows/s ")
            : "? windows/s ");
        line.Append("ETA ").Append(Remaining(info.Elapsed, doneBatches, totalBatches));
        return line.ToString();
    }

    // Time left at the mean pace so far; unknown until a batch has taken measurable time.
    private static string Remaining(TimeSpan elapsed, long doneBatches, long totalBatches)
    {
        if (doneBatches == 0 || elapsed <= TimeSpan.Zero)
        {
            return "--:--:--";
        }

        var seconds = elapsed.TotalSeconds / doneBatches * (totalBatches - doneBatches);
        var remaining = TimeSpan.FromSeconds(Math.Round(seconds));
        var hours = (long)remaining.TotalHours;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{hours:00}:{remaining.Minutes:00}:{remaining.Seconds:00}");
    }

    private static void Check(BatchProgressInfo info)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(info.Epochs, nameof(info));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(info.Batches, nameof(info));
        if (info.Epoch < 1 || info.Epoch > info.Epochs)
        {
            throw new ArgumentOutOfRangeException(
                nameof(info),
                info.Epoch,
                $"Epoch {info.Epoch} is outside 1..{info.Epochs}.");
        }

        if (info.Batch < 0 || info.Batch > info.Batches)
        {
            throw new ArgumentOutOfRangeException(
                nameof(info),
                info.Batch,
                $"Batch {info.Batch} is outside 0..{info.Batches}.");
        }
    }
}
