using System.Globalization;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Resident-memory figures of this process from <c>/proc/self/status</c> (Linux).</summary>
public static class ProcessMemory
{
    private const string StatusPath = "/proc/self/status";

    /// <summary>Whether the figures can be read on this system.</summary>
    public static bool IsAvailable => File.Exists(StatusPath);

    /// <summary>Returns the current resident set size (VmRSS) in bytes, or 0 when unavailable.</summary>
    public static long ResidentBytes() => ReadKilobytes("VmRSS:") * 1024;

    /// <summary>Returns the peak resident set size so far (VmHWM) in bytes, or 0 when unavailable.</summary>
    public static long PeakResidentBytes() => ReadKilobytes("VmHWM:") * 1024;

    // Lines read "VmHWM:	   51234 kB".
    private static long ReadKilobytes(string key)
    {
        if (!IsAvailable)
        {
            return 0;
        }

        foreach (var line in File.ReadLines(StatusPath))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0
                && long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kilobytes))
            {
                return kilobytes;
            }
        }

        return 0;
    }
}
