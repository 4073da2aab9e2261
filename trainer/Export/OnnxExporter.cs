using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using Onnx;
using SsdEdge.Contracts;
using SsdEdge.Trainer.Model;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Export;

/// <summary>
/// Writes a PainAttnNet model as an ONNX file (opset 17, IR version 8) from its state dict, with
/// the signal contract in the model's <c>metadata_props</c>.
/// </summary>
/// <remarks>
/// The graph has the input <c>input</c> (batch, channels, samples) float32 and the outputs
/// <c>logits</c> and <c>probabilities</c> (batch, classes), plus <c>features</c> (batch, embedding
/// channels, feature steps), or (batch, hidden units) for a late-fusion model, when
/// <see cref="OnnxExportOptions.IncludeFeatures"/> is set. The batch
/// dimension is symbolic (<c>batch</c>). The contract is stored as JSON under
/// <see cref="SignalContractJson.MetadataKey"/>, and a few of its fields again under flat
/// <c>ssdedge.*</c> keys for people who inspect the file with generic tools.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>Opset of the default ONNX domain; 17 is the newest that Debian 12's onnx 1.12 checks.</summary>
    public const int OpsetVersion = 17;

    /// <summary>IR version of the written file (the IR of ONNX 1.12, which introduced opset 17).</summary>
    public const long IrVersion = 8;

    /// <summary>Value of <c>producer_name</c> in every exported file.</summary>
    public const string ProducerName = "ssdedge-trainer";

    /// <summary>Builds the ONNX model in memory.</summary>
    /// <param name="stateDict">PainAttnNet weights with the reference module names, float32, any device.</param>
    /// <param name="config">Shape of the model the weights belong to.</param>
    /// <param name="contract">Signal contract to embed; its channels, window and classes must match the config.</param>
    /// <param name="options">Export choices; null for the defaults.</param>
    /// <exception cref="OnnxExportException">
    /// A weight is missing, has another shape than the config implies, is left unused, or the
    /// contract does not match the config.
    /// </exception>
    public static ModelProto BuildModel(
        IReadOnlyDictionary<string, Tensor> stateDict,
        PainAttnNetConfig config,
        SignalContract contract,
        OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(contract);
        options ??= new OnnxExportOptions();
        config.Validate();
        CheckContractMatchesConfig(contract, config);

        var builder = new OnnxGraphBuilder("painattnnet");
        new PainAttnNetGraph(builder, new StateDictWeights(stateDict), config, options).Build();

        var producerVersion = string.IsNullOrEmpty(contract.ProducerVersion)
            ? TrainerVersion()
            : contract.ProducerVersion;
        var embedded = contract with { Producer = ProducerName, ProducerVersion = producerVersion };
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = producerVersion,
            Domain = "ssdedge",
            ModelVersion = 1,
            DocString = DocString(config, embedded, options),
            Graph = builder.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        AddMetadata(model, embedded);
        return model;
    }

    /// <summary>Returns the bytes of the ONNX model; see <see cref="BuildModel"/>.</summary>
    /// <exception cref="OnnxExportException">See <see cref="BuildModel"/>.</exception>
    public static byte[] Export(
        IReadOnlyDictionary<string, Tensor> stateDict,
        PainAttnNetConfig config,
        SignalContract contract,
        OnnxExportOptions? options = null) =>
        BuildModel(stateDict, config, contract, options).ToByteArray();

    /// <summary>Writes the ONNX model to <paramref name="path"/>, replacing any file there.</summary>
    /// <exception cref="OnnxExportException">See <see cref="BuildModel"/>.</exception>
    public static void ExportToFile(
        IReadOnlyDictionary<string, Tensor> stateDict,
        PainAttnNetConfig config,
        SignalContract contract,
        string path,
        OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = Export(stateDict, config, contract, options);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllBytes(path, bytes);
    }

    private static void CheckContractMatchesConfig(SignalContract contract, PainAttnNetConfig config)
    {
        if (contract.Channels.Count != config.InputChannels)
        {
            var names = string.Join(", ", contract.Channels.Select(c => c.Name));
            throw new OnnxExportException(
                $"The signal contract lists {contract.Channels.Count} channels ({names}); "
                + $"the model takes {config.InputChannels}.");
        }

        if (contract.WindowSamples != config.WindowSamples)
        {
            throw new OnnxExportException(
                $"The signal contract has a window of {contract.WindowSamples} samples; "
                + $"the model takes {config.WindowSamples}.");
        }

        if (contract.ClassLabels.Count != config.Classes)
        {
            throw new OnnxExportException(
                $"The signal contract has {contract.ClassLabels.Count} class labels; "
                + $"the model has {config.Classes} classes.");
        }

        if (contract.PositiveClassIndex < 0 || contract.PositiveClassIndex >= config.Classes)
        {
            throw new OnnxExportException(
                $"The signal contract's positive class index {contract.PositiveClassIndex} is outside "
                + $"the model's {config.Classes} classes.");
        }
    }

    private static void AddMetadata(ModelProto model, SignalContract contract)
    {
        var invariant = CultureInfo.InvariantCulture;
        var entries = new (string Key, string Value)[]
        {
            (SignalContractJson.MetadataKey, SignalContractJson.Serialize(contract)),
            ("ssdedge.channels", string.Join(",", contract.Channels.Select(c => c.Name))),
            ("ssdedge.sampling_rate_hz", contract.ModelRateHz.ToString("R", invariant)),
            ("ssdedge.window_samples", contract.WindowSamples.ToString(invariant)),
            ("ssdedge.class_labels", string.Join(",", contract.ClassLabels)),
            ("ssdedge.decision_threshold", contract.DecisionThreshold.ToString("R", invariant)),
            ("ssdedge.model_id", contract.ModelId),
            ("ssdedge.producer_version", contract.ProducerVersion),
        };
        foreach (var (key, value) in entries)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
    }

    private static string DocString(PainAttnNetConfig config, SignalContract contract, OnnxExportOptions options)
    {
        var invariant = CultureInfo.InvariantCulture;
        var channels = string.Join(", ", contract.Channels.Select(c => c.Name));
        var featureShape = string.Join(", ", config.FeatureShape().Select(size => size.ToString(invariant)));
        var featureSource = config.Fusion == PainAttnNetFusion.Late ? "the late-fusion head's output" : "the encoder output";
        var features = options.IncludeFeatures
            ? $" Output 'features' (batch, {featureShape}) is {featureSource}."
            : "";
        var rate = contract.ModelRateHz.ToString(invariant);
        var input = string.Create(invariant, $"(batch, {config.InputChannels}, {config.WindowSamples})");
        var classes = string.Create(invariant, $"(batch, {config.Classes})");
        return $"PainAttnNet pain classifier '{contract.ModelId}'. Input 'input' {input} float32: "
            + $"channels {channels} at {rate} Hz after the preprocessing in metadata "
            + $"'{SignalContractJson.MetadataKey}'. Outputs 'logits' and 'probabilities' {classes} over "
            + $"classes {string.Join(", ", contract.ClassLabels)}." + features;
    }

    private static string TrainerVersion()
    {
        var assembly = typeof(OnnxExporter).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
    }
}
