using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using SsdEdge.Preprocessing;
using SsdEdge.Signals;

namespace SsdEdge.Contracts;

/// <summary>Reads and writes a <see cref="SignalContract"/> as JSON (camelCase, enums as strings).</summary>
public static class SignalContractJson
{
    /// <summary>Key under which exported ONNX files store the contract in <c>metadata_props</c>.</summary>
    public const string MetadataKey = "ssdedge.signal_contract";

    private static JsonSerializerOptions? _options;

    /// <summary>
    /// Serializer settings shared by every JSON file the trainer writes: camelCase names and enum
    /// values, indented, nulls left out. They resolve types by reflection.
    /// </summary>
    public static JsonSerializerOptions Options
    {
        [RequiresUnreferencedCode("Resolves serialized types by reflection.")]
        [RequiresDynamicCode("Resolves serialized types by reflection.")]
        get => _options ??= CreateOptions();
    }

    // The contract's own settings, equal to Options but generated at build time, so that the
    // native AOT build of the agent can read and write contracts.
    private static JsonTypeInfo<SignalContract> ContractType => SignalContractJsonContext.Default.SignalContract;

    /// <summary>Serialises <paramref name="contract"/> to indented JSON.</summary>
    public static string Serialize(SignalContract contract) => JsonSerializer.Serialize(contract, ContractType);

    /// <summary>Parses a contract and checks its required fields.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where the text came from, for error messages (a file name).</param>
    /// <exception cref="InvalidDataException">The text is not a valid contract.</exception>
    public static SignalContract Deserialize(string json, string source)
    {
        SignalContract? contract;
        try
        {
            contract = JsonSerializer.Deserialize(json, ContractType);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: the signal contract is not valid JSON: {ex.Message}", ex);
        }

        if (contract is null)
        {
            throw new InvalidDataException($"{source}: the signal contract is empty.");
        }

        if (contract.FormatVersion != 1)
        {
            throw new InvalidDataException(
                $"{source}: signal contract format version {contract.FormatVersion} is not supported (expected 1).");
        }

        if (contract.Channels.Count == 0 || contract.WindowSamples <= 0 || contract.ModelRateHz <= 0
            || contract.ClassLabels.Count < 2)
        {
            throw new InvalidDataException(
                $"{source}: the signal contract needs at least one channel, a positive window length and model rate, "
                + "and at least two class labels.");
        }

        if (contract.PositiveClassIndex < 0 || contract.PositiveClassIndex >= contract.ClassLabels.Count)
        {
            throw new InvalidDataException(
                $"{source}: positiveClassIndex {contract.PositiveClassIndex} is outside the "
                + $"{contract.ClassLabels.Count} class labels.");
        }

        return contract;
    }

    [RequiresDynamicCode("Creates a reflection-based enum converter.")]
    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}

/// <summary>Enum converter that writes and reads camelCase value names, as <see cref="SignalContractJson.Options"/> does.</summary>
/// <typeparam name="TEnum">Enum type.</typeparam>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;

/// <summary>Build-time serializer of <see cref="SignalContract"/> with the settings of <see cref="SignalContractJson.Options"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(CamelCaseEnumConverter<ChannelKind>), typeof(CamelCaseEnumConverter<NormalizationKind>),
        typeof(CamelCaseEnumConverter<FilterKind>)])]
[JsonSerializable(typeof(SignalContract))]
internal sealed partial class SignalContractJsonContext : JsonSerializerContext;
