using System.CommandLine;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SsdEdge.Build;
using SsdEdge.Contracts;
using SsdEdge.Trainer.Native;
using TorchSharp;

namespace SsdEdge.Trainer.Cli;

/// <summary><c>ssdedge-trainer doctor</c>: reports what this machine offers for training.</summary>
public static class DoctorCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("doctor", "Report TorchSharp, libtorch, device, thread and ONNX Runtime facts.")
        {
            json,
        };
        command.SetAction(parseResult =>
        {
            var report = Collect();
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, SignalContractJson.Options));
            }
            else
            {
                foreach (var (key, value) in report)
                {
                    Console.WriteLine($"{key,-24} {value}");
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>Collects the facts, in display order.</summary>
    public static IReadOnlyDictionary<string, object?> Collect()
    {
        var fix = TorchSharpNativeFix.Inspect();
        var torchSharpVersion = typeof(torch).Assembly.GetName().Version?.ToString();
        var cuda = torch.cuda.is_available();
        return new Dictionary<string, object?>
        {
            ["producerVersion"] = ProducerInfo.Version,
            ["torchSharpVersion"] = torchSharpVersion,
            ["libtorchVersion"] = torch.__version__,
            ["nativeLibrary"] = fix.LibraryPath,
            ["hostHasGlibcxx3432"] = fix.HostProvidesVersion,
            ["nativeFix"] = DescribeFix(fix),
            ["cudaAvailable"] = cuda,
            ["cudaDevices"] = cuda ? torch.cuda.device_count() : 0,
            ["device"] = cuda ? "cuda" : "cpu",
            ["torchThreads"] = torch.get_num_threads(),
            ["processorCount"] = Environment.ProcessorCount,
            ["onnxRuntimeVersion"] = OrtEnv.Instance().GetVersionString(),
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        };
    }

    private static string DescribeFix(TorchSharpNativeFix.Status status)
    {
        if (status.Error is not null)
        {
            return "failed: " + status.Error;
        }

        return status.Outcome switch
        {
            ElfVersionNeedPatcher.PatchOutcome.AlreadyWeak or ElfVersionNeedPatcher.PatchOutcome.Patched =>
                "applied (GLIBCXX_3.4.32 requirement is weak)",
            ElfVersionNeedPatcher.PatchOutcome.NotRequired => "not needed (library does not require GLIBCXX_3.4.32)",
            _ when status.HostProvidesVersion => "not needed (host libstdc++ provides GLIBCXX_3.4.32)",
            _ => "missing: libtorch will not load on this host",
        };
    }
}
