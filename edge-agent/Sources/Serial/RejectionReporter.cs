using System.Text;
using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// Counts rejected input of one device in <see cref="IngestCounters"/> and logs it rate-limited:
/// occurrences 1 to 5 of each cause, then occurrences 10, 100, 1000 and so on, each with the running
/// count. The counters always hold the exact totals.
/// </summary>
internal sealed class RejectionReporter(string deviceId, IngestCounters counters, ILogger logger)
{
    private const int LoggedOneByOne = 5;

    /// <summary>Most characters of a rejected line shown in a log entry.</summary>
    private const int MaxShownChars = 80;

    private readonly Dictionary<IngestRejection, long> _occurrences = [];

    /// <summary>Counts <paramref name="items"/> rejected items of one occurrence of
    /// <paramref name="cause"/>, and logs it when due.</summary>
    public void Reject(IngestRejection cause, string detail, long items = 1)
    {
        counters.AddRejected(deviceId, cause, items);
        var occurrence = _occurrences.GetValueOrDefault(cause) + 1;
        _occurrences[cause] = occurrence;
        if (occurrence <= LoggedOneByOne || IsPowerOfTen(occurrence))
        {
            SerialLog.InputRejected(logger, deviceId, cause, occurrence, detail);
        }
    }

    /// <summary>Returns a line as printable text for a log entry: invalid UTF-8 and control
    /// characters become escapes, and a long line is cut.</summary>
    public static string Show(ReadOnlySpan<byte> line)
    {
        var builder = new StringBuilder();
        var text = Encoding.UTF8.GetString(line[..Math.Min(line.Length, MaxShownChars * 4)]);
        foreach (var c in text)
        {
            if (builder.Length >= MaxShownChars)
            {
                builder.Append("...");
                break;
            }

            if (char.IsControl(c) || c == '\uFFFD')
            {
                builder.Append(c == '\uFFFD' ? "\\ufffd" : $"\\x{(int)c:X2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsPowerOfTen(long value)
    {
        while (value >= 10 && value % 10 == 0)
        {
            value /= 10;
        }

        return value == 1;
    }
}
