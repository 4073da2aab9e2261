using System.Text.Json;
using System.Text.Json.Serialization;

namespace SsdEdge.Trainer.Model;

/// <summary>Where PainAttnNet combines its input channels.</summary>
[JsonConverter(typeof(PainAttnNetFusionJsonConverter))]
public enum PainAttnNetFusion
{
    /// <summary>All channels enter the first convolutions of one MSCN, as in the published model.</summary>
    Early,

    /// <summary>
    /// One MSCN, SE-ResNet and encoder per channel. Their flattened outputs are concatenated and
    /// pass a Linear, ReLU and dropout fusion head before the classifier.
    /// </summary>
    Late,
}

/// <summary>
/// Writes <see cref="PainAttnNetFusion"/> as <c>early</c> or <c>late</c>, the words of the
/// <c>--fusion</c> option, wherever the serializer options name no enum converter of their own.
/// </summary>
internal sealed class PainAttnNetFusionJsonConverter()
    : JsonStringEnumConverter<PainAttnNetFusion>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);
