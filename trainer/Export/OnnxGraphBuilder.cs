using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;

namespace SsdEdge.Trainer.Export;

/// <summary>
/// Appends nodes, initializers, inputs and outputs to an ONNX graph. Every value name must be
/// unique; a node is named after its first output.
/// </summary>
/// <remarks>
/// The builder stores identical initializers once, under the first name, and returns the existing
/// output for a node identical to an earlier one (same operator, inputs and attributes). Weights
/// that a model shares between modules, such as PainAttnNet's key and value TCNs in the published
/// code, thus become one computation whatever the graph optimisation level of the runtime.
/// </remarks>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<TensorProto>> _initializersByHash = [];
    private readonly Dictionary<string, string> _outputsBySignature = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName)
    {
        Graph = new GraphProto { Name = graphName };
    }

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph { get; }

    /// <summary>Adds a float32 initializer stored as little-endian raw data and returns its name.</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckCount(name, values.Length, dims);
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return AddTensor(name, TensorProto.Types.DataType.Float, bytes, dims);
    }

    /// <summary>Adds an int64 initializer stored as little-endian raw data and returns its name.</summary>
    public string AddInitializer(string name, ReadOnlySpan<long> values, params long[] dims)
    {
        CheckCount(name, values.Length, dims);
        var bytes = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        }

        return AddTensor(name, TensorProto.Types.DataType.Int64, bytes, dims);
    }

    /// <summary>Adds a float32 scalar initializer the first time <paramref name="name"/> is asked for.</summary>
    public string SharedScalar(string name, float value) =>
        _names.Contains(name) ? name : AddInitializer(name, [value]);

    /// <summary>Adds a one-dimensional int64 initializer the first time <paramref name="name"/> is asked for.</summary>
    public string SharedInt64s(string name, params long[] values) =>
        _names.Contains(name) ? name : AddInitializer(name, values, values.Length);

    /// <summary>Adds a node of the default domain with one output and returns that output's name.</summary>
    public string AddNode(
        string opType,
        string output,
        IReadOnlyList<string> inputs,
        params AttributeProto[] attributes)
    {
        var attributeText = string.Join(" ", attributes.Select(a => a.ToString()));
        var signature = $"{opType}({string.Join(", ", inputs)}) {attributeText}";
        if (_outputsBySignature.TryGetValue(signature, out var existing))
        {
            return existing;
        }

        Reserve(output);
        _outputsBySignature.Add(signature, output);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Declares a float32 graph input whose first dimension is symbolic.</summary>
    public string AddInput(string name, string symbolicDimension, params long[] fixedDims)
    {
        Reserve(name);
        Graph.Input.Add(FloatValueInfo(name, symbolicDimension, fixedDims));
        return name;
    }

    /// <summary>Declares an existing value as a float32 graph output whose first dimension is symbolic.</summary>
    public void AddOutput(string name, string symbolicDimension, params long[] fixedDims)
    {
        if (!_names.Contains(name))
        {
            throw new InvalidOperationException($"Graph output '{name}' is not produced by any node.");
        }

        Graph.Output.Add(FloatValueInfo(name, symbolicDimension, fixedDims));
    }

    public static AttributeProto IntAttribute(string name, long value) => new()
    {
        Name = name,
        Type = AttributeProto.Types.AttributeType.Int,
        I = value,
    };

    public static AttributeProto FloatAttribute(string name, float value) => new()
    {
        Name = name,
        Type = AttributeProto.Types.AttributeType.Float,
        F = value,
    };

    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private string AddTensor(string name, TensorProto.Types.DataType dataType, byte[] rawData, long[] dims)
    {
        var hash = new HashCode();
        hash.Add(dataType);
        hash.AddBytes(rawData);
        var contentHash = hash.ToHashCode();
        if (!_initializersByHash.TryGetValue(contentHash, out var sameHash))
        {
            sameHash = [];
            _initializersByHash.Add(contentHash, sameHash);
        }

        var identical = sameHash.FirstOrDefault(
            t => t.DataType == (int)dataType && t.Dims.SequenceEqual(dims) && t.RawData.Span.SequenceEqual(rawData));
        if (identical is not null)
        {
            return identical.Name;
        }

        Reserve(name);
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)dataType,
            RawData = UnsafeByteOperations.UnsafeWrap(rawData),
        };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        sameHash.Add(tensor);
        return name;
    }

    private static ValueInfoProto FloatValueInfo(string name, string symbolicDimension, long[] fixedDims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = symbolicDimension });
        foreach (var dim in fixedDims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        var tensorType = new TypeProto.Types.Tensor
        {
            ElemType = (int)TensorProto.Types.DataType.Float,
            Shape = shape,
        };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    private void Reserve(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
        }
    }

    private static void CheckCount(string name, int count, long[] dims)
    {
        long expected = 1;
        foreach (var dim in dims)
        {
            expected *= dim;
        }

        if (expected != count)
        {
            throw new InvalidOperationException(
                $"Initializer '{name}' has {count} values but shape ({string.Join(", ", dims)}) holds {expected}.");
        }
    }
}
