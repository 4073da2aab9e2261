using System.Globalization;
using System.Text;

namespace SsdEdge.Contracts;

/// <summary>
/// Reads the signal contract, the metadata and the input shape of an ONNX model file without an
/// ONNX library, by walking the protobuf wire format of the few messages involved.
/// </summary>
/// <remarks>
/// Fields read, with their numbers in <c>onnx.proto</c>: ModelProto 1 <c>ir_version</c>,
/// 2 <c>producer_name</c>, 3 <c>producer_version</c>, 7 <c>graph</c> and 14 <c>metadata_props</c>
/// (StringStringEntryProto: 1 key, 2 value); GraphProto 5 <c>initializer</c> (TensorProto 8 name)
/// and 11 <c>input</c> (ValueInfoProto: 1 name, 2 type); TypeProto 1 <c>tensor_type</c> (2 shape);
/// TensorShapeProto 1 <c>dim</c> (1 <c>dim_value</c>, 2 <c>dim_param</c>). Every other field is
/// skipped. The whole file is read into memory.
/// </remarks>
public static class OnnxContractReader
{
    private const int VarintWire = 0;
    private const int Fixed64Wire = 1;
    private const int LengthDelimitedWire = 2;
    private const int Fixed32Wire = 5;

    /// <summary>Reads the signal contract of the ONNX model at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">
    /// The file is missing or unreadable, truncated, not an ONNX model, has no contract, or its
    /// contract disagrees with the graph input.
    /// </exception>
    public static SignalContract ReadContract(string path) => ReadHeader(path).Contract;

    /// <summary>Reads the metadata, the graph input and the signal contract of an ONNX model file.</summary>
    /// <exception cref="InvalidDataException">
    /// The file is missing or unreadable, truncated, not an ONNX model, has no contract, or its
    /// contract disagrees with the graph input.
    /// </exception>
    public static OnnxModelHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{path}: the ONNX model file does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: the ONNX model file could not be read: {ex.Message}", ex);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of an ONNX model file; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InvalidDataException">
    /// The bytes are truncated, not an ONNX model, have no contract, or the contract disagrees
    /// with the graph input.
    /// </exception>
    public static OnnxModelHeader Parse(ReadOnlySpan<byte> bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (bytes.IsEmpty)
        {
            throw new InvalidDataException($"{source}: the file is empty, not an ONNX model.");
        }

        long? irVersion = null;
        var producerName = "";
        var producerVersion = "";
        GraphInput? input = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);

        var model = new WireReader(bytes, 0, source);
        while (model.TryReadTag(out var field, out var wireType))
        {
            switch ((field, wireType))
            {
                case (1, VarintWire):
                    irVersion = (long)model.ReadVarint();
                    break;
                case (2, LengthDelimitedWire):
                    producerName = model.ReadString();
                    break;
                case (3, LengthDelimitedWire):
                    producerVersion = model.ReadString();
                    break;
                case (7, LengthDelimitedWire):
                    input = ReadGraphInput(model.ReadMessage(), source);
                    break;
                case (14, LengthDelimitedWire):
                    var (key, value) = ReadStringEntry(model.ReadMessage());
                    metadata[key] = value;
                    break;
                default:
                    model.Skip(wireType);
                    break;
            }
        }

        if (irVersion is null || input is null)
        {
            throw new InvalidDataException(
                $"{source}: not an ONNX model (no ir_version or no graph in the protobuf message).");
        }

        if (!metadata.TryGetValue(SignalContractJson.MetadataKey, out var contractJson))
        {
            throw new InvalidDataException(
                $"{source}: the ONNX model has no signal contract (metadata key "
                + $"'{SignalContractJson.MetadataKey}' is missing); export the model with ssdedge-trainer.");
        }

        var contract = SignalContractJson.Deserialize(contractJson, source);
        CheckInputAgainstContract(input, contract, source);
        return new OnnxModelHeader(
            source,
            irVersion.Value,
            producerName,
            producerVersion,
            metadata,
            input.Name,
            input.Shape,
            contract);
    }

    private static GraphInput ReadGraphInput(WireReader graph, string source)
    {
        var initializerNames = new HashSet<string>(StringComparer.Ordinal);
        var inputs = new List<GraphInput>();
        while (graph.TryReadTag(out var field, out var wireType))
        {
            switch ((field, wireType))
            {
                case (5, LengthDelimitedWire):
                    initializerNames.Add(ReadTensorName(graph.ReadMessage()));
                    break;
                case (11, LengthDelimitedWire):
                    inputs.Add(ReadValueInfo(graph.ReadMessage()));
                    break;
                default:
                    graph.Skip(wireType);
                    break;
            }
        }

        // Files below IR version 4 list initializers among the inputs as well.
        var input = inputs.FirstOrDefault(candidate => !initializerNames.Contains(candidate.Name));
        return input ?? throw new InvalidDataException($"{source}: the ONNX graph has no input.");
    }

    private static string ReadTensorName(WireReader tensor)
    {
        var name = "";
        while (tensor.TryReadTag(out var field, out var wireType))
        {
            if (field == 8 && wireType == LengthDelimitedWire)
            {
                name = tensor.ReadString();
            }
            else
            {
                tensor.Skip(wireType);
            }
        }

        return name;
    }

    private static GraphInput ReadValueInfo(WireReader valueInfo)
    {
        var name = "";
        IReadOnlyList<long> shape = [];
        while (valueInfo.TryReadTag(out var field, out var wireType))
        {
            switch ((field, wireType))
            {
                case (1, LengthDelimitedWire):
                    name = valueInfo.ReadString();
                    break;
                case (2, LengthDelimitedWire):
                    shape = ReadTensorShapeOfType(valueInfo.ReadMessage());
                    break;
                default:
                    valueInfo.Skip(wireType);
                    break;
            }
        }

        return new GraphInput(name, shape);
    }

    // TypeProto -> tensor_type (TypeProto.Tensor) -> shape (TensorShapeProto).
    private static IReadOnlyList<long> ReadTensorShapeOfType(WireReader type)
    {
        IReadOnlyList<long> shape = [];
        while (type.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == LengthDelimitedWire)
            {
                var tensorType = type.ReadMessage();
                while (tensorType.TryReadTag(out var tensorField, out var tensorWire))
                {
                    if (tensorField == 2 && tensorWire == LengthDelimitedWire)
                    {
                        shape = ReadShape(tensorType.ReadMessage());
                    }
                    else
                    {
                        tensorType.Skip(tensorWire);
                    }
                }
            }
            else
            {
                type.Skip(wireType);
            }
        }

        return shape;
    }

    private static List<long> ReadShape(WireReader shape)
    {
        var dims = new List<long>();
        while (shape.TryReadTag(out var field, out var wireType))
        {
            if (field != 1 || wireType != LengthDelimitedWire)
            {
                shape.Skip(wireType);
                continue;
            }

            // A dimension without dim_value is symbolic (dim_param) or unknown.
            var dimension = shape.ReadMessage();
            long value = -1;
            while (dimension.TryReadTag(out var dimField, out var dimWire))
            {
                if (dimField == 1 && dimWire == VarintWire)
                {
                    value = (long)dimension.ReadVarint();
                }
                else
                {
                    dimension.Skip(dimWire);
                }
            }

            dims.Add(value);
        }

        return dims;
    }

    private static (string Key, string Value) ReadStringEntry(WireReader entry)
    {
        var key = "";
        var value = "";
        while (entry.TryReadTag(out var field, out var wireType))
        {
            switch ((field, wireType))
            {
                case (1, LengthDelimitedWire):
                    key = entry.ReadString();
                    break;
                case (2, LengthDelimitedWire):
                    value = entry.ReadString();
                    break;
                default:
                    entry.Skip(wireType);
                    break;
            }
        }

        return (key, value);
    }

    private static void CheckInputAgainstContract(GraphInput input, SignalContract contract, string source)
    {
        var shape = input.Shape;
        if (shape.Count != 3)
        {
            throw new InvalidDataException(
                $"{source}: graph input '{input.Name}' has shape ({FormatShape(shape)}); "
                + "expected (batch, channels, samples).");
        }

        if (shape[1] >= 0 && shape[1] != contract.Channels.Count)
        {
            throw new InvalidDataException(
                $"{source}: graph input '{input.Name}' has {shape[1]} channels, "
                + $"the signal contract lists {contract.Channels.Count}.");
        }

        if (shape[2] >= 0 && shape[2] != contract.WindowSamples)
        {
            throw new InvalidDataException(
                $"{source}: graph input '{input.Name}' takes {shape[2]} samples, "
                + $"the signal contract has a window of {contract.WindowSamples}.");
        }
    }

    private static string FormatShape(IReadOnlyList<long> shape) =>
        string.Join(", ", shape.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)));

    private sealed record GraphInput(string Name, IReadOnlyList<long> Shape);

    // Reads protobuf fields from one message; offsets in errors count from the start of the file.
    private ref struct WireReader
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private readonly int _fileOffset;
        private readonly string _source;
        private int _position;

        public WireReader(ReadOnlySpan<byte> bytes, int fileOffset, string source)
        {
            _bytes = bytes;
            _fileOffset = fileOffset;
            _source = source;
            _position = 0;
        }

        public bool TryReadTag(out int field, out int wireType)
        {
            if (_position >= _bytes.Length)
            {
                field = 0;
                wireType = 0;
                return false;
            }

            var start = _position;
            var tag = ReadVarint();
            field = (int)Math.Min(tag >> 3, int.MaxValue);
            wireType = (int)(tag & 7);
            if (field == 0 || wireType is not (VarintWire or Fixed64Wire or LengthDelimitedWire or Fixed32Wire))
            {
                throw new InvalidDataException(
                    $"{_source}: not an ONNX model (invalid protobuf tag 0x{tag:x} at byte {_fileOffset + start}).");
            }

            return true;
        }

        public ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _bytes.Length)
                {
                    throw Truncated("a varint");
                }

                var b = _bytes[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidDataException(
                $"{_source}: not an ONNX model (a varint longer than 10 bytes ends at byte "
                + $"{_fileOffset + _position}).");
        }

        public WireReader ReadMessage()
        {
            var (start, length) = ReadLength();
            return new WireReader(_bytes.Slice(start, length), _fileOffset + start, _source);
        }

        public string ReadString()
        {
            var (start, length) = ReadLength();
            return Encoding.UTF8.GetString(_bytes.Slice(start, length));
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case VarintWire:
                    ReadVarint();
                    break;
                case Fixed64Wire:
                    Advance(8);
                    break;
                case Fixed32Wire:
                    Advance(4);
                    break;
                default:
                    ReadLength();
                    break;
            }
        }

        private (int Start, int Length) ReadLength()
        {
            var length = ReadVarint();
            if (length > (ulong)(_bytes.Length - _position))
            {
                throw Truncated($"a field of {length} bytes");
            }

            var start = _position;
            _position += (int)length;
            return (start, (int)length);
        }

        private void Advance(int count)
        {
            if (count > _bytes.Length - _position)
            {
                throw Truncated($"a fixed field of {count} bytes");
            }

            _position += count;
        }

        private readonly InvalidDataException Truncated(string what) => new(
            $"{_source}: the file is truncated or not an ONNX model: {what} at byte "
            + $"{_fileOffset + _position} runs past the end of its message.");
    }
}
