namespace SsdEdge.Contracts;

/// <summary>
/// The parts of an ONNX model file that a consumer checks before it loads the model: the model
/// metadata, the graph input and the signal contract stored in the metadata.
/// </summary>
/// <param name="Source">Path of the file the header was read from.</param>
/// <param name="IrVersion">ONNX IR version of the file (<c>ir_version</c>).</param>
/// <param name="ProducerName">Program that wrote the file (<c>producer_name</c>).</param>
/// <param name="ProducerVersion">Version of that program (<c>producer_version</c>).</param>
/// <param name="Metadata">Every <c>metadata_props</c> entry, by key.</param>
/// <param name="InputName">Name of the first graph input that is not an initializer.</param>
/// <param name="InputShape">
/// Dimensions of that input, outermost first; a symbolic or unknown dimension (such as the batch)
/// is -1, as ONNX Runtime reports it.
/// </param>
/// <param name="Contract">Signal contract stored under <see cref="SignalContractJson.MetadataKey"/>.</param>
public sealed record OnnxModelHeader(
    string Source,
    long IrVersion,
    string ProducerName,
    string ProducerVersion,
    IReadOnlyDictionary<string, string> Metadata,
    string InputName,
    IReadOnlyList<long> InputShape,
    SignalContract Contract);
