using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using SsdEdge.Trainer.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Training;

/// <summary>
/// The file that lets a teacher run continue where it stopped: model weights, Adam state, the
/// history and best-epoch weights so far, and the settings the run started with.
/// </summary>
/// <remarks>
/// Layout: the header string <c>ssdedge-training-checkpoint</c>, an int32 format version, the
/// int64 payload length and the payload's SHA-256, then the payload: the state as JSON, the
/// model's state_dict, the optimiser state in TorchSharp's format, and a flag followed by the
/// best-epoch state_dict. Every write goes to a temporary file that then replaces the old one,
/// so a crash during a write leaves the previous checkpoint intact.
/// </remarks>
public static class TrainingCheckpoint
{
    /// <summary>Name of the checkpoint file inside a checkpoint directory.</summary>
    public const string FileName = "training.ckpt";

    /// <summary>Layout version this class writes and reads.</summary>
    public const int FormatVersion = 1;

    private const string Header = "ssdedge-training-checkpoint";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Returns the checkpoint path inside <paramref name="directory"/>.</summary>
    public static string PathIn(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return Path.Combine(directory, FileName);
    }

    internal static void Write(
        string path,
        TrainingCheckpointState state,
        PainAttnNet model,
        OptimizerHelper optimizer,
        IReadOnlyDictionary<string, Tensor>? bestState)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(JsonSerializer.Serialize(state, JsonOptions));
            StateDicts.Write(writer, model.state_dict());
            optimizer.save_state_dict(writer);
            writer.Write(bestState is not null);
            if (bestState is not null)
            {
                StateDicts.Write(writer, bestState);
            }
        }

        var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        // Write beside the target, flush to disk, then replace the target in one rename.
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            using (var writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Header);
                writer.Write(FormatVersion);
                writer.Write((long)bytes.Length);
                writer.Write(SHA256.HashData(bytes));
                writer.Write(bytes);
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/>, checks that it belongs to
    /// <paramref name="current"/>, and loads its weights into <paramref name="model"/> and its
    /// Adam state into <paramref name="optimizer"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a checkpoint.</exception>
    /// <exception cref="InvalidOperationException">
    /// The checkpoint belongs to other settings or data. Nothing was loaded.
    /// </exception>
    internal static RestoredTraining Restore(
        string path,
        TrainingFingerprint current,
        PainAttnNet model,
        OptimizerHelper optimizer)
    {
        var payload = ReadPayload(path);
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false));
        var state = Parse(path, () => ReadState(reader));

        var differences = state.Fingerprint.Differences(current);
        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"Training checkpoint '{path}' was written with other settings or data: "
                + string.Join("; ", differences)
                + ". Resume with the checkpoint's settings and data, or delete the checkpoint's folder "
                + "to train from the start with the new settings.");
        }

        // The weights and Adam state are restored only after the settings matched.
        return Parse(path, () =>
        {
            StateDicts.ReadInto(reader, model);

            // NOTE: tests restore Adam's state on the CPU only. Loading it into CUDA tensors relies
            // on TorchSharp's in-place tensor load, which has not been run on a GPU.
            optimizer.load_state_dict(reader);
            var bestState = reader.ReadBoolean() ? StateDicts.Read(reader, model.state_dict()) : null;
            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                StateDicts.Dispose(bestState);
                throw new InvalidDataException(
                    $"{reader.BaseStream.Length - reader.BaseStream.Position} bytes follow the last section");
            }

            return new RestoredTraining(state.CompletedEpochs, state.History, state.BestEpoch, bestState);
        });
    }

    private static TrainingCheckpointState ReadState(BinaryReader reader)
    {
        var state = JsonSerializer.Deserialize<TrainingCheckpointState>(reader.ReadString(), JsonOptions);
        if (state?.Fingerprint is null || state.History is null)
        {
            throw new InvalidDataException("its JSON section has no fingerprint or history");
        }

        if (state.CompletedEpochs < 1 || state.History.Count != state.CompletedEpochs)
        {
            throw new InvalidDataException(
                $"it records {state.CompletedEpochs} completed epochs but "
                + $"{state.History.Count} history entries");
        }

        if (state.BestEpoch is < 1 || state.BestEpoch > state.CompletedEpochs)
        {
            throw new InvalidDataException(
                $"its best epoch {state.BestEpoch} lies outside the "
                + $"{state.CompletedEpochs} completed epochs");
        }

        return state;
    }

    private static byte[] ReadPayload(string path)
    {
        var bytes = File.ReadAllBytes(path);
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        string header;
        int version;
        long length;
        byte[] expectedHash;
        try
        {
            header = reader.ReadString();
            version = reader.ReadInt32();
            length = reader.ReadInt64();
            expectedHash = reader.ReadBytes(SHA256.HashSizeInBytes);
        }
        catch (Exception error) when (error is EndOfStreamException or FormatException or IOException)
        {
            throw Unreadable(path, $"its {bytes.Length} bytes do not hold a checkpoint header", error);
        }

        if (header != Header)
        {
            throw Unreadable(path, $"it does not start with the header '{Header}'", null);
        }

        if (version != FormatVersion)
        {
            throw Unreadable(
                path,
                $"it has format version {version}, and this build reads version {FormatVersion}",
                null);
        }

        var available = bytes.Length - reader.BaseStream.Position;
        if (expectedHash.Length != SHA256.HashSizeInBytes || available != length)
        {
            throw Unreadable(
                path,
                $"it is truncated or padded, because the header announces {length} payload bytes "
                + $"and the file contains {available}",
                null);
        }

        var payload = bytes.AsSpan((int)reader.BaseStream.Position).ToArray();
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(expectedHash))
        {
            throw Unreadable(
                path,
                "its payload does not match the SHA-256 in its header, so it is corrupt",
                null);
        }

        return payload;
    }

    private static T Parse<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception error) when (
            error is EndOfStreamException or InvalidDataException or JsonException or ArgumentException
                or FormatException or NotImplementedException)
        {
            throw Unreadable(path, error.Message, error);
        }
    }

    private static InvalidDataException Unreadable(string path, string reason, Exception? inner) =>
        new($"Training checkpoint '{path}' is invalid ({reason}). Delete it to start the run afresh.", inner);
}
