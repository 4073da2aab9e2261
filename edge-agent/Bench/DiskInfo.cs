using System.Diagnostics;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Where a folder's files are stored, and what an fsync costs there.</summary>
internal static class DiskInfo
{
    private const string MountsPath = "/proc/self/mounts";

    /// <summary>Returns "device (file system) mounted at point" for the mount holding
    /// <paramref name="directory"/>, from <c>/proc/self/mounts</c>, or "unknown".</summary>
    public static string Describe(string directory)
    {
        if (!File.Exists(MountsPath))
        {
            return "unknown (no /proc/self/mounts)";
        }

        var full = Path.GetFullPath(directory);
        string? best = null;
        var bestLength = -1;
        foreach (var line in File.ReadLines(MountsPath))
        {
            var fields = line.Split(' ');
            if (fields.Length < 3)
            {
                continue;
            }

            var point = Unescape(fields[1]);
            var under = point == "/"
                || full == point
                || full.StartsWith(point.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (under && point.Length >= bestLength)
            {
                bestLength = point.Length;
                best = $"{Unescape(fields[0])} ({fields[2]}) mounted at {point}";
            }
        }

        return best ?? "unknown";
    }

    /// <summary>Times <paramref name="count"/> writes of 1 KiB to a new file in
    /// <paramref name="directory"/>, each followed by an fsync of the file and of the folder, as the
    /// outbox stores an alert; the files are deleted afterwards.</summary>
    public static LatencySummary? MeasureFsync(string directory, int count)
    {
        var times = new List<double>(count);
        var data = new byte[1024];
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(directory, $"fsync-probe-{i}.tmp");
            var started = Stopwatch.GetTimestamp();
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }

            Delivery.DirectorySync.Flush(directory);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            File.Delete(path);
        }

        return times.Count > 0 ? LatencySummary.From(times) : null;
    }

    // /proc/mounts writes space, tab, newline and backslash as octal escapes.
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal)
            .Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal)
            .Replace("\\134", "\\", StringComparison.Ordinal);
}
