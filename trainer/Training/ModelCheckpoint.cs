using System.Text.Json;
using SsdEdge.Trainer.Model;
using TorchSharp;
using TorchSharp.PyBridge;

namespace SsdEdge.Trainer.Training;

/// <summary>
/// Saves and loads PainAttnNet weights in TorchSharp's format with a JSON sidecar
/// (<c>&lt;path&gt;.json</c>) that records the configuration, and imports PyTorch state_dicts.
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>Value of <see cref="CheckpointInfo.Format"/> in every sidecar this class writes.</summary>
    public const string FormatName = "ssdedge-painattnnet";

    /// <summary>Sidecar layout version this class writes and reads.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions =
        new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Returns the sidecar path of the checkpoint at <paramref name="path"/>.</summary>
    public static string SidecarPath(string path) => path + ".json";

    /// <summary>Writes the weights to <paramref name="path"/> and the configuration to its sidecar.</summary>
    public static void Save(PainAttnNet model, string path, IReadOnlyList<string>? classLabels = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        model.save(path);
        var info = new CheckpointInfo(FormatName, FormatVersion, model.Config, classLabels?.ToArray());
        File.WriteAllText(SidecarPath(path), JsonSerializer.Serialize(info, JsonOptions));
    }

    /// <summary>Reads the sidecar of the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The sidecar does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The sidecar is not a checkpoint description this version reads.
    /// </exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var sidecar = SidecarPath(path);
        if (!File.Exists(sidecar))
        {
            throw new FileNotFoundException(
                $"Checkpoint sidecar '{sidecar}' not found; it records the model configuration and is written "
                + "next to the weights by ModelCheckpoint.Save.",
                sidecar);
        }

        CheckpointInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<CheckpointInfo>(File.ReadAllText(sidecar), JsonOptions);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException(
                $"Checkpoint sidecar '{sidecar}' is not valid JSON: {error.Message}",
                error);
        }

        if (info is null || info.Format != FormatName || info.Config is null)
        {
            throw new InvalidDataException(
                $"Checkpoint sidecar '{sidecar}' has format '{info?.Format}'; expected '{FormatName}' with a config.");
        }

        if (info.Version != FormatVersion)
        {
            throw new InvalidDataException(
                $"Checkpoint sidecar '{sidecar}' has version {info.Version}; "
                + $"this build reads version {FormatVersion}.");
        }

        return info;
    }

    /// <summary>
    /// Builds a model from the sidecar's configuration and loads the weights at <paramref name="path"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The weights or the sidecar do not exist.</exception>
    /// <exception cref="InvalidDataException">The sidecar is invalid.</exception>
    public static PainAttnNet Load(string path)
    {
        var info = ReadInfo(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint weights '{path}' not found.", path);
        }

        var model = new PainAttnNet(info.Config);
        try
        {
            model.load(path);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException)
        {
            model.Dispose();
            throw new InvalidDataException(
                $"Checkpoint weights '{path}' cannot be read ({ex.Message}); the file is truncated or does not "
                + $"belong to the model described by {SidecarPath(path)}.",
                ex);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        model.eval();
        return model;
    }

    /// <summary>
    /// Builds a model for <paramref name="config"/> (the default published configuration when
    /// null) and loads a PyTorch state_dict saved with <c>torch.save(model.state_dict(), path)</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The state_dict's keys or shapes do not match the model.</exception>
    public static PainAttnNet ImportPyTorchStateDict(string path, PainAttnNetConfig? config = null)
    {
        var model = new PainAttnNet(config ?? new PainAttnNetConfig());
        try
        {
            ImportPyTorchStateDict(model, path);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        return model;
    }

    /// <summary>Loads a PyTorch state_dict into <paramref name="model"/> and switches it to eval mode.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The state_dict's keys or shapes do not match the model.</exception>
    public static void ImportPyTorchStateDict(PainAttnNet model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"PyTorch state_dict '{path}' not found.", path);
        }

        System.Collections.Hashtable loaded;
        try
        {
            loaded = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"'{path}' is not a PyTorch state_dict this trainer can read ({ex.GetType().Name}: {ex.Message}). "
                + "Save it with torch.save(model.state_dict(), path) from PyTorch 1.6 or later.",
                ex);
        }

        try
        {
            var state = model.state_dict();
            CheckStateDictFits(loaded, state, path, model.Config);
            using (torch.no_grad())
            {
                foreach (var (name, target) in state)
                {
                    target.copy_((torch.Tensor)loaded[name]!);
                }
            }
        }
        finally
        {
            foreach (var value in loaded.Values)
            {
                (value as IDisposable)?.Dispose();
            }
        }

        model.eval();
    }

    // PyBridge 1.4.4's load_py accepted a head of the wrong shape without an error, so keys and
    // shapes are checked here before any value is copied.
    private static void CheckStateDictFits(
        System.Collections.Hashtable loaded,
        Dictionary<string, torch.Tensor> state,
        string path,
        PainAttnNetConfig config)
    {
        var lateKeys = loaded.Keys.OfType<string>()
            .Any(name => name.StartsWith("trunks.", StringComparison.Ordinal)
                || name.StartsWith("fusion.", StringComparison.Ordinal));
        if (config.Fusion == PainAttnNetFusion.Early && lateKeys)
        {
            throw new InvalidDataException(
                $"PyTorch state_dict '{path}' holds a late-fusion PainAttnNet (keys trunks.*, fusion.*), but "
                + "importing builds the early-fusion model of the published code only; train a late-fusion "
                + "teacher with `train --fusion late` instead.");
        }

        var problems = new List<string>();
        foreach (var (name, target) in state)
        {
            if (loaded[name] is not torch.Tensor source)
            {
                problems.Add($"missing {name}");
            }
            else if (!source.shape.SequenceEqual(target.shape))
            {
                var found = string.Join(", ", source.shape);
                var needed = string.Join(", ", target.shape);
                problems.Add($"{name} has shape ({found}), model needs ({needed})");
            }
        }

        foreach (var name in loaded.Keys.OfType<string>().Where(name => !state.ContainsKey(name)))
        {
            problems.Add($"unexpected {name}");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException(
                $"PyTorch state_dict '{path}' does not fit PainAttnNet {config}: {problems.Count} problem(s): "
                + string.Join("; ", problems.Take(10)) + (problems.Count > 10 ? "; ..." : "."));
        }
    }
}
