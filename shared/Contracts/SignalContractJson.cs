using System.Text.Json;
using System.Text.Json.Serialization;

namespace SsdEdge.Contracts;

/// <summary>Reads and writes a <see cref="SignalContract"/> as JSON (camelCase, enums as strings).</summary>
public static class SignalContractJson
{
    /// <summary>Key under which exported ONNX files store the contract in <c>metadata_props</c>.</summary>
    public const string MetadataKey = "ssdedge.signal_contract";

    /// <summary>Serializer settings shared by every JSON file the product writes.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serialises <paramref name="contract"/> to indented JSON.</summary>
    public static string Serialize(SignalContract contract) => JsonSerializer.Serialize(contract, Options);

    /// <summary>Parses a contract and checks its required fields.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where the text came from, for error messages (a file name).</param>
    /// <exception cref="InvalidDataException">The text is not a valid contract.</exception>
    public static SignalContract Deserialize(string json, string source)
    {
        SignalContract? contract;
        try
        {
            contract = JsonSerializer.Deserialize<SignalContract>(json, Options);
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
