using Onnx;
using SsdEdge.Trainer.Model;
using static SsdEdge.Trainer.Export.OnnxGraphBuilder;

namespace SsdEdge.Trainer.Export;

/// <summary>
/// Writes the inference graph of PainAttnNet at opset 17 from a state dict with the reference
/// module names. Values are named after the module that produces them (<c>mscn.short_scale.3</c>
/// is the output of that max-pool), and initializers after the state-dict entry they come from.
/// </summary>
/// <remarks>
/// Lowering choices: BatchNorm folded into the convolution before it (or inference-form
/// <c>BatchNormalization</c>), exact GELU as 0.5·x·(1 + Erf(x/√2)), dropout removed, Linear layers
/// on the time axis as <c>MatMul</c> by the transposed weight plus <c>Add</c>. The MSCN runs on
/// (batch, channels, 1, time) with 2-D convolutions and pools of height 1, because ONNX Runtime's
/// blocked (NCHWc) convolution kernels only take 2-D convolutions. With ORT_ENABLE_ALL (ONNX
/// Runtime 1.32) this made a batch-1 window about a quarter faster on a 2-core x86-64 host, and
/// the values stay the same.
/// After the MSCN the tensors stay (batch, channels, time), so attention projects with the weight
/// on the left and transposes only the per-head query, value and context.
/// </remarks>
internal sealed class PainAttnNetGraph
{
    /// <summary>Symbolic name of the batch dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    private const long MscnChannels = 64;
    private const long MscnHiddenChannels = 128;
    private const long TcnKernel = 7;
    private const long TcnPadding = TcnKernel - 1;

    // Geometry of the three MSCN branches of the published model (kernel, stride, padding).
    private static readonly Branch[] Branches =
    [
        new("short", Planar(50, 6, 24), Planar(8, 2, 4), Planar(8, 1, 4), Planar(4, 4, 2)),
        new("medium", Planar(512, 42, 256), Planar(4, 4, 0), Planar(4, 1, 3), Planar(2, 2, 1)),
        new("long", Planar(1024, 84, 512), Planar(8, 8, 0), Planar(7, 1, 3), Planar(2, 2, 1)),
    ];

    private readonly OnnxGraphBuilder _builder;
    private readonly StateDictWeights _weights;
    private readonly PainAttnNetConfig _config;
    private readonly OnnxExportOptions _options;

    public PainAttnNetGraph(
        OnnxGraphBuilder builder,
        StateDictWeights weights,
        PainAttnNetConfig config,
        OnnxExportOptions options)
    {
        _builder = builder;
        _weights = weights;
        _config = config;
        _options = options;
    }

    /// <summary>Writes the whole graph: input, the blocks of the configured fusion, and the outputs.</summary>
    public void Build()
    {
        var input = _builder.AddInput("input", BatchDimension, _config.InputChannels, _config.WindowSamples);
        var featuresName = _options.IncludeFeatures ? "features" : null;
        var features = _config.Fusion == PainAttnNetFusion.Late
            ? LateFusion(input, featuresName)
            : Trunk("", input, featuresName ?? "encoderWrapper.norm");
        Head(features);

        _builder.AddOutput("logits", BatchDimension, _config.Classes);
        _builder.AddOutput("probabilities", BatchDimension, _config.Classes);
        if (_options.IncludeFeatures)
        {
            _builder.AddOutput(features, BatchDimension, [.. _config.FeatureShape().Select(size => (long)size)]);
        }

        _weights.CheckAllRead();
    }

    // MSCN, SE-ResNet and encoder with the module names under prefix, (B, C, T) -> (B, E, FeatureSteps).
    private string Trunk(string prefix, string input, string output)
    {
        var mscn = Mscn(prefix, input);
        var x = SeResNet(prefix, mscn);
        for (var layer = 0; layer < _config.EncoderLayers; layer++)
        {
            x = EncoderLayer($"{prefix}encoderWrapper.layers.{layer}", x);
        }

        return LayerNorm($"{prefix}encoderWrapper.norm", x, _config.FeatureSteps, output);
    }

    // (B, C, T) -> (B, hidden): channel i through trunks.i, the flattened trunk outputs
    // concatenated in channel order, then the fusion Linear and ReLU (its dropout is an identity
    // at inference).
    private string LateFusion(string input, string? featuresName)
    {
        var channelAxis = _builder.SharedInt64s("trunks.channel_axis", 1);
        var flattened = new List<string>();
        for (var channel = 0; channel < _config.Trunks; channel++)
        {
            var prefix = $"trunks.{channel}.";
            var start = _builder.AddInitializer($"{prefix}channel_start", [(long)channel], 1);
            var end = _builder.AddInitializer($"{prefix}channel_end", [(long)channel + 1], 1);
            var single = _builder.AddNode("Slice", $"{prefix}input", [input, start, end, channelAxis]);
            var trunk = Trunk(prefix, single, $"{prefix}encoderWrapper.norm");
            flattened.Add(_builder.AddNode("Flatten", $"{prefix}flatten", [trunk], IntAttribute("axis", 1)));
        }

        var concatenated = _builder.AddNode("Concat", "fusion.concat", flattened, IntAttribute("axis", 1));
        var inFeatures = (long)_config.Trunks * _config.TrunkFeatureLength;
        var hidden = (long)_config.FusionHiddenUnits;
        var weight = _builder.AddInitializer(
            "fusion.0.weight", _weights.Read("fusion.0.weight", hidden, inFeatures), hidden, inFeatures);
        var bias = _builder.AddInitializer("fusion.0.bias", _weights.Read("fusion.0.bias", hidden), hidden);
        var linear = _builder.AddNode("Gemm", "fusion.0", [concatenated, weight, bias], IntAttribute("transB", 1));
        return _builder.AddNode("Relu", featuresName ?? "fusion.1", [linear]);
    }

    // (B, C, T) -> (B, 192, FeatureSteps): three branches, each mapped to FeatureSteps by a Linear.
    private string Mscn(string prefix, string input)
    {
        var heightAxis = _builder.SharedInt64s("mscn.height_axis", 2);
        var planarInput = _builder.AddNode("Unsqueeze", $"{prefix}mscn.planar_input", [input, heightAxis]);

        var (shortLength, mediumLength, longLength) = _config.BranchLengths();
        long[] lengths = [shortLength, mediumLength, longLength];
        var outputs = new List<string>();
        for (var i = 0; i < Branches.Length; i++)
        {
            var branch = Branches[i];
            var features = MscnBranch($"{prefix}mscn.{branch.Name}_scale", branch, planarInput);
            outputs.Add(TimeLinear($"{prefix}mscn.fc_{branch.Name}", features, lengths[i], _config.FeatureSteps));
        }

        // The dropout after the concatenation is an identity at inference.
        var planar = _builder.AddNode("Concat", $"{prefix}mscn.concat", outputs, IntAttribute("axis", 1));
        return _builder.AddNode("Squeeze", $"{prefix}mscn", [planar, heightAxis]);
    }

    // Sequential indices: 0 conv, 1 BN, 2 GELU, 3 max-pool, 4 dropout, 5 conv, 6 BN, 7 GELU,
    // 8 conv, 9 BN, 10 GELU, 11 max-pool.
    private string MscnBranch(string module, Branch branch, string input)
    {
        var x = ConvBatchNorm(
            input, $"{module}.0", $"{module}.1", MscnChannels, _config.TrunkInputChannels, branch.FirstConv);
        x = Gelu(x, $"{module}.2");
        x = MaxPool(x, $"{module}.3", branch.FirstPool);
        x = ConvBatchNorm(x, $"{module}.5", $"{module}.6", MscnHiddenChannels, MscnChannels, branch.InnerConv);
        x = Gelu(x, $"{module}.7");
        x = ConvBatchNorm(x, $"{module}.8", $"{module}.9", MscnChannels, MscnHiddenChannels, branch.InnerConv);
        x = Gelu(x, $"{module}.10");
        return MaxPool(x, $"{module}.11", branch.SecondPool);
    }

    // (B, 192, T) -> (B, E, T): squeeze-excitation residual block with a 1x1 projection shortcut.
    private string SeResNet(string prefix, string input)
    {
        var module = $"{prefix}seresnet.layer.0";
        var channels = _config.EmbeddingChannels;
        var inChannels = Branches.Length * MscnChannels;
        var pointwise = new Window(1, 1, 0, IsPlanar: false);

        var x = ConvBatchNorm(
            input, $"{module}.conv1", $"{module}.bn1", channels, inChannels, pointwise, hasBias: true);
        x = _builder.AddNode("Relu", $"{module}.relu", [x]);
        x = ConvBatchNorm(x, $"{module}.conv2", $"{module}.bn2", channels, channels, pointwise, hasBias: true);

        // Squeeze-excitation on (B, E, 1): both Linear layers act on the channel axis, so they
        // multiply from the left with the weight as stored.
        var squeezeKey = $"{module}.se.fc.0.weight";
        var hidden = _weights.ShapeOf(squeezeKey)[0];
        var squeezeWeight = _builder.AddInitializer(
            squeezeKey, _weights.Read(squeezeKey, hidden, channels), hidden, channels);
        var exciteKey = $"{module}.se.fc.2.weight";
        var exciteWeight = _builder.AddInitializer(
            exciteKey, _weights.Read(exciteKey, channels, hidden), channels, hidden);
        var pooled = _builder.AddNode(
            "ReduceMean", $"{module}.se.avg_pool", [x], IntsAttribute("axes", 2), IntAttribute("keepdims", 1));
        var squeezed = _builder.AddNode("MatMul", $"{module}.se.fc.0", [squeezeWeight, pooled]);
        squeezed = _builder.AddNode("Relu", $"{module}.se.fc.1", [squeezed]);
        var excited = _builder.AddNode("MatMul", $"{module}.se.fc.2", [exciteWeight, squeezed]);
        excited = _builder.AddNode("Sigmoid", $"{module}.se.fc.3", [excited]);
        x = _builder.AddNode("Mul", $"{module}.se", [x, excited]);

        var shortcut = ConvBatchNorm(
            input, $"{module}.downsample.0", $"{module}.downsample.1", channels, inChannels, pointwise);
        x = _builder.AddNode("Add", $"{module}.residual", [x, shortcut]);
        return _builder.AddNode("Relu", module, [x]);
    }

    // x -> query = TCN(x); attention over time with keys and values from two more TCNs;
    // x = query + attention; x = x + MLP(LayerNorm over channels of x).
    private string EncoderLayer(string module, string input)
    {
        var query = TemporalConvBlock($"{module}.conv", input);
        var key = TemporalConvBlock($"{module}.self_attn.tcn.0", input);
        var value = TemporalConvBlock($"{module}.self_attn.tcn.1", input);
        var attention = MultiHeadAttention($"{module}.self_attn.multihead_attention", query, key, value);
        var x = _builder.AddNode("Add", $"{module}.sublayer_output.0", [query, attention]);

        // The reference computes a LayerNorm of the query here and never uses the result.
        _weights.Ignore($"{module}.sublayer_output.0.norm.weight", $"{module}.sublayer_output.0.norm.bias");

        var sublayer = $"{module}.sublayer_output.1";
        var channelsLast = _builder.AddNode(
            "Transpose", $"{sublayer}.to_channels_last", [x], IntsAttribute("perm", 0, 2, 1));
        var normalized = LayerNorm($"{sublayer}.norm", channelsLast, _config.EmbeddingChannels, $"{sublayer}.norm");
        var channelsFirst = _builder.AddNode(
            "Transpose", $"{sublayer}.to_channels_first", [normalized], IntsAttribute("perm", 0, 2, 1));
        var hidden = TimeLinear(
            $"{module}.feed_forward.w_1", channelsFirst, _config.FeatureSteps, _config.FeedForwardSteps);
        hidden = _builder.AddNode("Relu", $"{module}.feed_forward.relu", [hidden]);
        var output = TimeLinear($"{module}.feed_forward.w_2", hidden, _config.FeedForwardSteps, _config.FeatureSteps);
        return _builder.AddNode("Add", sublayer, [x, output]);
    }

    // conv k7 p6 -> BN -> ReLU -> drop the last 6 steps -> conv -> BN -> drop -> + input -> ReLU.
    private string TemporalConvBlock(string module, string input)
    {
        var channels = _config.EmbeddingChannels;
        var causal = new Window(TcnKernel, 1, TcnPadding, IsPlanar: false);
        var starts = _builder.SharedInt64s("tcn.trim_starts", 0);
        var ends = _builder.SharedInt64s("tcn.trim_ends", _config.FeatureSteps);
        var axes = _builder.SharedInt64s("tcn.trim_axes", 2);

        var x = ConvBatchNorm(input, $"{module}.conv1", $"{module}.bn1", channels, channels, causal, hasBias: true);
        x = _builder.AddNode("Relu", $"{module}.relu1", [x]);
        x = _builder.AddNode("Slice", $"{module}.chomp1", [x, starts, ends, axes]);
        x = ConvBatchNorm(x, $"{module}.conv2", $"{module}.bn2", channels, channels, causal, hasBias: true);
        x = _builder.AddNode("Slice", $"{module}.chomp2", [x, starts, ends, axes]);
        x = _builder.AddNode("Add", $"{module}.residual", [x, input]);
        return _builder.AddNode("Relu", module, [x]);
    }

    // Inputs and output are (B, E, L). Projections multiply from the left, so (B, E, L) reshapes
    // to (B, heads, headDim, L) without a copy. Scores are (B, heads, L, headDim) x (B, heads,
    // headDim, L), so only the query, value and context need a transpose.
    private string MultiHeadAttention(string module, string query, string key, string value)
    {
        var embedding = _config.EmbeddingChannels;
        var heads = _config.Heads;
        var headDim = embedding / heads;
        var steps = _config.FeatureSteps;

        var inWeight = _weights.Read($"{module}.in_proj_weight", 3 * embedding, embedding);
        var inBias = _weights.Read($"{module}.in_proj_bias", 3 * embedding);
        var perHead = _builder.SharedInt64s("attention.split_heads_shape", 0, heads, headDim, steps);
        var merged = _builder.SharedInt64s("attention.merge_heads_shape", 0, embedding, steps);

        string Project(string input, int part, string role)
        {
            var rows = (int)embedding;
            var weight = _builder.AddInitializer(
                $"{module}.in_proj_weight_{role}",
                inWeight.AsSpan(part * rows * rows, rows * rows),
                embedding,
                embedding);
            var bias = _builder.AddInitializer(
                $"{module}.in_proj_bias_{role}", inBias.AsSpan(part * rows, rows), embedding, 1);
            var projected = _builder.AddNode("MatMul", $"{module}.{role}_projection", [weight, input]);
            projected = _builder.AddNode("Add", $"{module}.{role}", [projected, bias]);
            return _builder.AddNode("Reshape", $"{module}.{role}_heads", [projected, perHead]);
        }

        var queryHeads = Project(query, 0, "query");
        var keyHeads = Project(key, 1, "key");
        var valueHeads = Project(value, 2, "value");

        var scale = _builder.SharedScalar("attention.scale", (float)(1.0 / Math.Sqrt(headDim)));
        var queryRows = _builder.AddNode(
            "Transpose", $"{module}.query_rows", [queryHeads], IntsAttribute("perm", 0, 1, 3, 2));
        queryRows = _builder.AddNode("Mul", $"{module}.query_scaled", [queryRows, scale]);
        var scores = _builder.AddNode("MatMul", $"{module}.scores", [queryRows, keyHeads]);
        var weights = _builder.AddNode("Softmax", $"{module}.weights", [scores], IntAttribute("axis", -1));
        var valueRows = _builder.AddNode(
            "Transpose", $"{module}.value_rows", [valueHeads], IntsAttribute("perm", 0, 1, 3, 2));
        var context = _builder.AddNode("MatMul", $"{module}.context_rows", [weights, valueRows]);
        context = _builder.AddNode(
            "Transpose", $"{module}.context_heads", [context], IntsAttribute("perm", 0, 1, 3, 2));
        context = _builder.AddNode("Reshape", $"{module}.context", [context, merged]);

        var outKey = $"{module}.out_proj";
        var outWeight = _builder.AddInitializer(
            $"{outKey}.weight", _weights.Read($"{outKey}.weight", embedding, embedding), embedding, embedding);
        var outBias = _builder.AddInitializer(
            $"{outKey}.bias_column", _weights.Read($"{outKey}.bias", embedding), embedding, 1);
        var output = _builder.AddNode("MatMul", $"{outKey}.matmul", [outWeight, context]);
        return _builder.AddNode("Add", outKey, [output, outBias]);
    }

    // (B, E, L), or (B, hidden) with late fusion -> (B, classes) logits and probabilities.
    private void Head(string features)
    {
        var inFeatures = _config.FeatureLength;
        var flat = _config.Fusion == PainAttnNetFusion.Late
            ? features
            : _builder.AddNode("Flatten", "flatten", [features], IntAttribute("axis", 1));
        var weight = _builder.AddInitializer(
            "fc.weight", _weights.Read("fc.weight", _config.Classes, inFeatures), _config.Classes, inFeatures);
        var bias = _builder.AddInitializer("fc.bias", _weights.Read("fc.bias", _config.Classes), _config.Classes);
        var logits = _builder.AddNode("Gemm", "logits", [flat, weight, bias], IntAttribute("transB", 1));
        _builder.AddNode("Softmax", "probabilities", [logits], IntAttribute("axis", 1));
    }

    // Conv1d followed by an inference BatchNorm: folded into one Conv, or Conv then BatchNormalization.
    private string ConvBatchNorm(
        string input,
        string convModule,
        string batchNormModule,
        long outChannels,
        long inChannels,
        Window window,
        bool hasBias = false)
    {
        var weight = _weights.Read($"{convModule}.weight", outChannels, inChannels, window.Kernel);
        var bias = hasBias ? _weights.Read($"{convModule}.bias", outChannels) : null;
        var batchNorm = _weights.ReadBatchNorm(batchNormModule, outChannels);
        long[] weightDims = window.IsPlanar
            ? [outChannels, inChannels, 1, window.Kernel]
            : [outChannels, inChannels, window.Kernel];
        AttributeProto[] attributes = [.. window.Attributes(), IntAttribute("group", 1)];

        if (_options.FoldBatchNorm)
        {
            var (foldedWeight, foldedBias) = BatchNormFolding.Fold(weight, bias, batchNorm, _options.BatchNormEpsilon);
            var weightName = _builder.AddInitializer($"{convModule}.weight_folded", foldedWeight, weightDims);
            var biasName = _builder.AddInitializer($"{convModule}.bias_folded", foldedBias, outChannels);
            return _builder.AddNode("Conv", batchNormModule, [input, weightName, biasName], attributes);
        }

        var convInputs = new List<string>
        {
            input,
            _builder.AddInitializer($"{convModule}.weight", weight, weightDims),
        };
        if (bias is not null)
        {
            convInputs.Add(_builder.AddInitializer($"{convModule}.bias", bias, outChannels));
        }

        var convolved = _builder.AddNode("Conv", convModule, convInputs, attributes);
        return _builder.AddNode(
            "BatchNormalization",
            batchNormModule,
            [
                convolved,
                _builder.AddInitializer($"{batchNormModule}.weight", batchNorm.Scale, outChannels),
                _builder.AddInitializer($"{batchNormModule}.bias", batchNorm.Shift, outChannels),
                _builder.AddInitializer($"{batchNormModule}.running_mean", batchNorm.Mean, outChannels),
                _builder.AddInitializer($"{batchNormModule}.running_var", batchNorm.Variance, outChannels),
            ],
            FloatAttribute("epsilon", (float)_options.BatchNormEpsilon));
    }

    // Exact GELU, in the node order that ONNX Runtime's GELU fusion recognises.
    private string Gelu(string input, string module)
    {
        var sqrt2 = _builder.SharedScalar("gelu.sqrt2", MathF.Sqrt(2f));
        var one = _builder.SharedScalar("gelu.one", 1f);
        var half = _builder.SharedScalar("gelu.half", 0.5f);
        var scaled = _builder.AddNode("Div", $"{module}.div", [input, sqrt2]);
        var erf = _builder.AddNode("Erf", $"{module}.erf", [scaled]);
        var shifted = _builder.AddNode("Add", $"{module}.add", [erf, one]);
        var product = _builder.AddNode("Mul", $"{module}.mul", [input, shifted]);
        return _builder.AddNode("Mul", module, [product, half]);
    }

    private string MaxPool(string input, string module, Window window) =>
        _builder.AddNode("MaxPool", module, [input], window.Attributes());

    private static Window Planar(long kernel, long stride, long padding) =>
        new(kernel, stride, padding, IsPlanar: true);

    // A Linear on the last (time) axis: x·Wᵀ + b, with Wᵀ stored as an initializer.
    private string TimeLinear(string module, string input, long inFeatures, long outFeatures)
    {
        var weight = _weights.Read($"{module}.weight", outFeatures, inFeatures);
        var transposed = new float[weight.Length];
        for (var row = 0; row < outFeatures; row++)
        {
            for (var column = 0; column < inFeatures; column++)
            {
                transposed[(column * outFeatures) + row] = weight[(row * inFeatures) + column];
            }
        }

        var weightName = _builder.AddInitializer($"{module}.weight_transposed", transposed, inFeatures, outFeatures);
        var bias = _weights.Read($"{module}.bias", outFeatures);
        var biasName = _builder.AddInitializer($"{module}.bias", bias, outFeatures);
        var product = _builder.AddNode("MatMul", $"{module}.matmul", [input, weightName]);
        return _builder.AddNode("Add", module, [product, biasName]);
    }

    // LayerNorm over the last axis (opset 17 LayerNormalization).
    private string LayerNorm(string module, string input, long features, string output)
    {
        var scale = _builder.AddInitializer($"{module}.weight", _weights.Read($"{module}.weight", features), features);
        var bias = _builder.AddInitializer($"{module}.bias", _weights.Read($"{module}.bias", features), features);
        return _builder.AddNode(
            "LayerNormalization",
            output,
            [input, scale, bias],
            IntAttribute("axis", -1),
            FloatAttribute("epsilon", (float)_options.LayerNormEpsilon));
    }

    // A window over the time axis; a planar one acts on (B, C, 1, T) with height 1.
    private readonly record struct Window(long Kernel, long Stride, long Padding, bool IsPlanar)
    {
        public AttributeProto[] Attributes() => IsPlanar
            ?
            [
                IntsAttribute("kernel_shape", 1, Kernel),
                IntsAttribute("strides", 1, Stride),
                IntsAttribute("pads", 0, Padding, 0, Padding),
                IntsAttribute("dilations", 1, 1),
            ]
            :
            [
                IntsAttribute("kernel_shape", Kernel),
                IntsAttribute("strides", Stride),
                IntsAttribute("pads", Padding, Padding),
                IntsAttribute("dilations", 1),
            ];
    }

    private sealed record Branch(string Name, Window FirstConv, Window FirstPool, Window InnerConv, Window SecondPool);
}
