using System.CommandLine;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Native;

// libtorch loads lazily on the first use of `torch`, so the native fix must run before any command.
var fix = TorchSharpNativeFix.EnsureApplied();
if (fix.Error is not null)
{
    Console.Error.WriteLine($"ssdedge-trainer: warning: {fix.Error}");
}

var root = new RootCommand("SsdEdge trainer: PainAttnNet training, distillation and ONNX export.")
{
    DoctorCommand.Create(),
    TrainCommand.Create(),
    MergeCommand.Create(),
    DistillCommand.Create(),
    PredictCommand.Create(),
    ExportCommand.Create(),
    ImportTeacherCommand.Create(),
    WindowsCommand.Create(),
    CompareCommand.Create(),
    BenchDistillCommand.Create(),
};
foreach (var command in root.Subcommands)
{
    command.Description += Environment.NewLine + ExitCodes.HelpText;
}

var parsed = root.Parse(args);
return UsageErrors.Report(parsed, Console.Error) ?? parsed.Invoke();
