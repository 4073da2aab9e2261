using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Reads the description of the machine and software a report comes from.</summary>
public static class MachineInfo
{
    /// <summary>Returns the CPU model, core count, OS, .NET runtime and ONNX Runtime version.</summary>
    public static MachineDescription Describe() => new(
        ReadCpuModel(),
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        RuntimeInformation.FrameworkDescription,
        OrtEnv.Instance().GetVersionString());

    // x86 kernels name the CPU in "model name"; many ARM kernels have no such line and give
    // "Hardware" or "Model" (the board, such as "Raspberry Pi 4 Model B Rev 1.4") instead.
    private static string ReadCpuModel()
    {
        const string CpuInfoPath = "/proc/cpuinfo";
        if (!File.Exists(CpuInfoPath))
        {
            return "unknown";
        }

        string? fallback = null;
        foreach (var line in File.ReadLines(CpuInfoPath))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "model name" && value.Length > 0)
            {
                return value;
            }

            if ((key == "Model" || key == "Hardware") && value.Length > 0)
            {
                fallback ??= value;
            }
        }

        return fallback ?? "unknown";
    }
}
