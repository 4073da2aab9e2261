using SsdEdge.Trainer.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Training;

/// <summary>Copies, disposes, writes and reads model state_dicts.</summary>
internal static class StateDicts
{
    /// <summary>Copies the model's state_dict to new CPU tensors that the caller disposes.</summary>
    public static Dictionary<string, Tensor> CopyToCpu(PainAttnNet model)
    {
        var copy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in model.state_dict())
        {
            using var detached = value.detach();
            copy[name] = detached.cpu().clone();
        }

        return copy;
    }

    public static void Dispose(Dictionary<string, Tensor>? state)
    {
        if (state is null)
        {
            return;
        }

        foreach (var tensor in state.Values)
        {
            tensor.Dispose();
        }

        state.Clear();
    }

    /// <summary>Writes the entry count, then each name and tensor in TorchSharp's tensor format.</summary>
    public static void Write(BinaryWriter writer, IEnumerable<KeyValuePair<string, Tensor>> state)
    {
        var entries = state.ToList();
        writer.Write(entries.Count);
        foreach (var (name, tensor) in entries)
        {
            writer.Write(name);
            tensor.Save(writer);
        }
    }

    /// <summary>
    /// Reads entries written by <see cref="Write"/> into new CPU tensors shaped like the entries
    /// of <paramref name="template"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The entries differ from the template's.</exception>
    public static Dictionary<string, Tensor> Read(BinaryReader reader, Dictionary<string, Tensor> template)
    {
        var count = reader.ReadInt32();
        if (count != template.Count)
        {
            throw new InvalidDataException(
                $"it stores {count} state_dict entries where the model has {template.Count}");
        }

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                if (!template.TryGetValue(name, out var like) || state.ContainsKey(name))
                {
                    throw new InvalidDataException($"it stores an unexpected state_dict entry '{name}'");
                }

                var tensor = empty(like.shape, like.dtype);
                state[name] = tensor;
                tensor.Load(reader);
            }
        }
        catch
        {
            Dispose(state);
            throw;
        }

        return state;
    }

    /// <summary>Reads entries written by <see cref="Write"/> into the model's own tensors.</summary>
    public static void ReadInto(BinaryReader reader, PainAttnNet model)
    {
        var target = model.state_dict();
        var loaded = Read(reader, target);
        try
        {
            using (no_grad())
            {
                foreach (var (name, value) in loaded)
                {
                    target[name].copy_(value);
                }
            }
        }
        finally
        {
            Dispose(loaded);
        }
    }
}
