using SsdEdge.Contracts;
using SsdEdge.Preprocessing;
using SsdEdge.Signals;
using SsdEdge.Tests;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>
/// Copies of the PyTorch-exported reference PainAttnNet (input <c>x</c> (B, 1, 2816), output
/// <c>logits</c>) with a signal contract added to the ONNX <c>metadata_props</c>.
/// </summary>
public static class TestModels
{
    public const string ReferenceModel = "reference/painattnnet_reference_pytorch_export.onnx";

    /// <summary>ModelProto field 14 (<c>metadata_props</c>), wire type 2 (length-delimited).</summary>
    private const byte MetadataPropsTag = (14 << 3) | 2;

    /// <summary>StringStringEntryProto fields 1 (<c>key</c>) and 2 (<c>value</c>), wire type 2.</summary>
    private const byte KeyTag = (1 << 3) | 2;
    private const byte ValueTag = (2 << 3) | 2;

    /// <summary>One EDA channel at 512 Hz, 2816 samples, as the reference model was built for.</summary>
    public static SignalContract EdaContract(QualityGateOptions? quality = null) => new()
    {
        Channels = [new ContractChannel("eda", ChannelKind.Eda, "uS", 512)],
        ModelRateHz = 512,
        WindowSamples = 2816,
        Preprocessing = new PreprocessingSpec { Quality = quality ?? new QualityGateOptions() },
        ClassLabels = ["BL1", "PA4"],
        PositiveClassIndex = 1,
        DecisionThreshold = 0.5,
        ModelId = "reference-pytorch-export",
        RunId = "test",
        ProducerVersion = "test",
    };

    public static byte[] ReadReferenceModel() => File.ReadAllBytes(TestData.PathOf(ReferenceModel));

    /// <summary>Writes the reference model with <paramref name="contract"/> embedded and returns
    /// its path.</summary>
    public static string WriteWithContract(
        string directory,
        SignalContract contract,
        string fileName = "model.onnx")
    {
        var json = SignalContractJson.Serialize(contract);
        return WriteWithMetadata(directory, SignalContractJson.MetadataKey, json, fileName);
    }

    /// <summary>Writes the reference model with one extra metadata entry and returns its path.</summary>
    public static string WriteWithMetadata(
        string directory,
        string key,
        string value,
        string fileName = "model.onnx")
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, AppendMetadata(ReadReferenceModel(), key, value));
        return path;
    }

    /// <summary>
    /// Appends a <c>metadata_props</c> entry to a serialised ModelProto. Protocol Buffers merge
    /// repeated fields across the message, so an entry appended at the end is read like one written
    /// in place.
    /// </summary>
    public static byte[] AppendMetadata(byte[] model, string key, string value)
    {
        var keyBytes = System.Text.Encoding.UTF8.GetBytes(key);
        var valueBytes = System.Text.Encoding.UTF8.GetBytes(value);
        using var entry = new MemoryStream();
        WriteField(entry, KeyTag, keyBytes);
        WriteField(entry, ValueTag, valueBytes);

        using var result = new MemoryStream();
        result.Write(model);
        WriteField(result, MetadataPropsTag, entry.ToArray());
        return result.ToArray();
    }

    private static void WriteField(Stream stream, byte tag, byte[] payload)
    {
        stream.WriteByte(tag);
        WriteVarint(stream, (ulong)payload.Length);
        stream.Write(payload);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}
