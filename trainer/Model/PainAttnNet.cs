using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// PainAttnNet (Lu et al., 2023): multiscale convolutions (MSCN), one SE-ResNet block, a
/// transformer encoder with temporal-convolution attention, and a linear head. Module names follow
/// the authors' PyTorch code, so its state_dict loads unchanged.
/// </summary>
/// <remarks>
/// Input (B, <see cref="PainAttnNetConfig.InputChannels"/>, <see cref="PainAttnNetConfig.WindowSamples"/>);
/// output (B, <see cref="PainAttnNetConfig.Classes"/>) logits. Every method that returns a tensor
/// hands ownership to the caller, so call it inside a dispose scope or dispose the result.
/// With <see cref="PainAttnNetFusion.Late"/> the model goes beyond the published one: each input
/// channel has its own trunk (<c>trunks.{i}.mscn</c>, <c>.seresnet</c>, <c>.encoderWrapper</c>),
/// the flattened trunk outputs are concatenated, and a fusion head (<c>fusion.0</c> Linear,
/// <c>fusion.1</c> ReLU, <c>fusion.2</c> dropout) feeds <c>fc</c>. The stage methods of the
/// early model (<see cref="ForwardMscn"/> and the encoder splits) reject a late model.
/// </remarks>
public sealed class PainAttnNet : Module<Tensor, Tensor>
{
    // Early fusion only. Null fields are not registered, so each shape has only its own names.
    [ComponentName(Name = "mscn")]
    private readonly MultiScaleConvNet? _mscn;

    [ComponentName(Name = "seresnet")]
    private readonly SeResNet? _seresnet;

    [ComponentName(Name = "encoderWrapper")]
    private readonly TransformerEncoder? _encoderWrapper;

    // Late fusion only.
    [ComponentName(Name = "trunks")]
    private readonly ModuleList<PainAttnNetTrunk>? _trunks;

    [ComponentName(Name = "fusion")]
    private readonly LateFusionHead? _fusion;

    [ComponentName(Name = "fc")]
    private readonly Linear _fc;

    /// <summary>Builds a model with freshly initialised weights drawn from torch's global generator.</summary>
    /// <exception cref="ArgumentException">The configuration cannot build a model.</exception>
    public PainAttnNet(PainAttnNetConfig config)
        : base(nameof(PainAttnNet))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        if (config.Fusion == PainAttnNetFusion.Late)
        {
            _trunks = ModuleList(Enumerable.Range(0, config.Trunks).Select(_ => new PainAttnNetTrunk(config)).ToArray());
            _fusion = new LateFusionHead(config);
        }
        else
        {
            _mscn = new MultiScaleConvNet(config);
            _seresnet = new SeResNet(MultiScaleConvNet.OutputChannels, config.EmbeddingChannels);
            _encoderWrapper = new TransformerEncoder(config);
        }

        _fc = Linear(config.FeatureLength, config.Classes);
        RegisterComponents();
    }

    /// <summary>Shape the model was built with.</summary>
    public PainAttnNetConfig Config { get; }

    /// <summary>
    /// Number of trainable parameter values (558,308 for the default configuration). A late-fusion
    /// model has C × trunk + (C × 2250 + 1) × H + (H + 1) × classes, where a trunk has the
    /// parameters of the one-channel early model without its classifier.
    /// </summary>
    public long ParameterCount => parameters().Sum(parameter => parameter.numel());

    /// <summary>Computes class logits (B, classes) for input windows (B, channels, samples).</summary>
    public override Tensor forward(Tensor input)
    {
        using var features = ExtractFeatures(input);
        return ForwardHead(features);
    }

    /// <summary>
    /// Computes the representation that distillation works on. With early fusion it is the
    /// encoder output after its final LayerNorm, (B, embedding channels, feature steps), 2250
    /// values per window by default. With late fusion it is the fusion head's output after its
    /// dropout, (B, hidden units).
    /// </summary>
    public Tensor ExtractFeatures(Tensor input)
    {
        if (_fusion is not null)
        {
            using var hidden = ForwardFusionHidden(input);
            return _fusion.ForwardDropout(hidden);
        }

        using var mscn = ForwardMscn(input);
        using var seresnet = ForwardSeResNet(mscn);
        return ForwardEncoder(seresnet);
    }

    /// <summary>
    /// Runs a late-fusion model up to its fusion dropout: every trunk, the concatenation, the
    /// fusion Linear and its ReLU. Returns (B, hidden units).
    /// </summary>
    /// <exception cref="ArgumentException">The input does not have the configured shape.</exception>
    /// <exception cref="InvalidOperationException">The model uses early fusion.</exception>
    public Tensor ForwardFusionHidden(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (trunks, fusion) = RequireLate(nameof(ForwardFusionHidden));
        CheckInputShape(input);
        var batch = input.shape[0];
        using var scope = NewDisposeScope();
        var flattened = new Tensor[trunks.Count];
        for (var channel = 0; channel < trunks.Count; channel++)
        {
            var single = input.narrow(1, channel, 1);
            var features = trunks[channel].forward(single);
            flattened[channel] = features.reshape(batch, Config.TrunkFeatureLength);
        }

        var concatenated = cat(flattened, 1);
        return fusion.ForwardHidden(concatenated).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs the start of a late-fusion model up to encoder layer <paramref name="layer"/>'s
    /// first dropout in every trunk: each trunk's MSCN, SE-ResNet, earlier layers, and that
    /// layer's TCNs and attention weights. Returns one prefix per trunk, in channel order.
    /// </summary>
    /// <exception cref="ArgumentException">The input does not have the configured shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The layer does not exist.</exception>
    /// <exception cref="InvalidOperationException">The model uses early fusion.</exception>
    public IReadOnlyList<EncoderLayerPrefix> BeginTrunkEncoderLayer(Tensor input, int layer)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (trunks, _) = RequireLate(nameof(BeginTrunkEncoderLayer));
        CheckInputShape(input);
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Config.EncoderLayers);
        var prefixes = new EncoderLayerPrefix[trunks.Count];
        for (var channel = 0; channel < trunks.Count; channel++)
        {
            using var single = input.narrow(1, channel, 1);
            prefixes[channel] = trunks[channel].Begin(single, layer);
        }

        return prefixes;
    }

    /// <summary>
    /// Finishes every trunk from <see cref="BeginTrunkEncoderLayer"/>'s prefixes on
    /// <paramref name="passes"/> stacked copies, copy-major, then concatenates the trunks and
    /// runs the whole fusion head, its dropout included: (passes × B, hidden units), as
    /// <see cref="ExtractFeatures"/> gives it for the stacked copies of the input.
    /// </summary>
    /// <exception cref="ArgumentException">The prefixes are not one per trunk.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The layer does not exist or <paramref name="passes"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The model uses early fusion.</exception>
    public Tensor FinishTrunksFromPasses(IReadOnlyList<EncoderLayerPrefix> prefixes, int layer, int passes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var (trunks, fusion) = RequireLate(nameof(FinishTrunksFromPasses));
        if (prefixes.Count != trunks.Count)
        {
            throw new ArgumentException(
                $"{prefixes.Count} trunk prefixes were given for a model with {trunks.Count} trunks.", nameof(prefixes));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Config.EncoderLayers);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        using var scope = NewDisposeScope();
        var flattened = new Tensor[trunks.Count];
        for (var channel = 0; channel < trunks.Count; channel++)
        {
            var features = trunks[channel].FinishPasses(prefixes[channel], layer, passes);
            flattened[channel] = features.reshape(features.shape[0], Config.TrunkFeatureLength);
        }

        var concatenated = cat(flattened, 1);
        return fusion.forward(concatenated).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Applies a late-fusion model's fusion dropout (<c>fusion.2</c>) to
    /// <see cref="ForwardFusionHidden"/>'s output, or to copies of it stacked along the batch axis.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model uses early fusion.</exception>
    public Tensor ForwardFusionDropout(Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var (_, fusion) = RequireLate(nameof(ForwardFusionDropout));
        return fusion.ForwardDropout(hidden);
    }

    /// <summary>Runs the whole early-fusion model and keeps every stage's output.</summary>
    /// <exception cref="InvalidOperationException">The model uses late fusion.</exception>
    public PainAttnNetStages ForwardStages(Tensor input)
    {
        var mscn = ForwardMscn(input);
        var seresnet = ForwardSeResNet(mscn);
        var features = ForwardEncoder(seresnet);
        var logits = ForwardHead(features);
        return new PainAttnNetStages(mscn, seresnet, features, logits);
    }

    /// <summary>Runs the MSCN: (B, channels, samples) to (B, 192, feature steps).</summary>
    /// <exception cref="ArgumentException">The input does not have the configured shape.</exception>
    /// <exception cref="InvalidOperationException">The model uses late fusion.</exception>
    public Tensor ForwardMscn(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var mscn = RequireEarly(_mscn, nameof(ForwardMscn));
        CheckInputShape(input);
        return mscn.forward(input);
    }

    /// <summary>Runs the SE-ResNet block: (B, 192, feature steps) to (B, embedding channels, feature steps).</summary>
    /// <exception cref="InvalidOperationException">The model uses late fusion.</exception>
    public Tensor ForwardSeResNet(Tensor mscnOutput) =>
        RequireEarly(_seresnet, nameof(ForwardSeResNet)).forward(mscnOutput);

    /// <summary>Runs the encoder layers and the final LayerNorm on the SE-ResNet output.</summary>
    /// <exception cref="InvalidOperationException">The model uses late fusion.</exception>
    public Tensor ForwardEncoder(Tensor seresnetOutput) =>
        RequireEarly(_encoderWrapper, nameof(ForwardEncoder)).forward(seresnetOutput);

    /// <summary>
    /// Runs encoder layers <paramref name="first"/> up to but not including <paramref name="end"/>
    /// on (B, embedding channels, feature steps), without the final LayerNorm. With
    /// <see cref="BeginEncoderLayer"/> and <see cref="FinishEncoderFrom"/> it splits
    /// <see cref="ForwardEncoder"/> before the first dropout of any layer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not within 0..<see cref="PainAttnNetConfig.EncoderLayers"/>.</exception>
    public Tensor ForwardEncoderLayers(Tensor input, int first, int end)
    {
        ArgumentNullException.ThrowIfNull(input);
        return RequireEarly(_encoderWrapper, nameof(ForwardEncoderLayers)).ForwardLayers(input, first, end);
    }

    /// <summary>
    /// Runs the start of encoder layer <paramref name="layer"/>, everything before its first
    /// dropout (query, key and value TCNs and the attention weights), on the output of layer
    /// <paramref name="layer"/> - 1 (or of the SE-ResNet for layer 0).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The layer does not exist.</exception>
    public EncoderLayerPrefix BeginEncoderLayer(Tensor input, int layer)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Config.EncoderLayers);
        return RequireEarly(_encoderWrapper, nameof(BeginEncoderLayer)).BeginLayer(input, layer);
    }

    /// <summary>
    /// Finishes encoder layer <paramref name="layer"/> from <see cref="BeginEncoderLayer"/>'s
    /// output, then runs the later layers and the final LayerNorm: the features, as
    /// <see cref="ForwardEncoder"/> returns them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The layer does not exist.</exception>
    public Tensor FinishEncoderFrom(EncoderLayerPrefix prefix, int layer)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Config.EncoderLayers);
        return RequireEarly(_encoderWrapper, nameof(FinishEncoderFrom)).FinishFrom(prefix, layer);
    }

    /// <summary>
    /// Computes <see cref="FinishEncoderFrom"/> on <paramref name="passes"/> copies of
    /// <paramref name="prefix"/> stacked along the batch axis, copy-major, without copying the
    /// prefix first: (passes × B, embedding channels, feature steps). With the same seed the
    /// result equals <see cref="FinishEncoderFrom"/> on <see cref="EncoderLayerPrefix.Repeat"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The layer does not exist or <paramref name="passes"/> is below 1.</exception>
    public Tensor FinishEncoderFromPasses(EncoderLayerPrefix prefix, int layer, int passes)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Config.EncoderLayers);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        return RequireEarly(_encoderWrapper, nameof(FinishEncoderFromPasses)).FinishFromPasses(prefix, layer, passes);
    }

    /// <summary>
    /// Flattens features (B, embedding channels, feature steps), or takes late-fusion features
    /// (B, hidden units), and applies the linear head.
    /// </summary>
    public Tensor ForwardHead(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        using var flat = features.reshape(features.shape[0], Config.FeatureLength);
        return _fc.forward(flat);
    }

    private static T RequireEarly<T>(T? module, string method)
        where T : class =>
        module ?? throw new InvalidOperationException(
            $"PainAttnNet.{method} runs a stage of the early-fusion model; this model uses late fusion "
            + "(trunks.N.*, fusion.*).");

    private (ModuleList<PainAttnNetTrunk> Trunks, LateFusionHead Fusion) RequireLate(string method) =>
        _trunks is not null && _fusion is not null
            ? (_trunks, _fusion)
            : throw new InvalidOperationException(
                $"PainAttnNet.{method} runs the late-fusion head; this model uses early fusion.");

    private void CheckInputShape(Tensor input)
    {
        var shape = input.shape;
        if (shape.Length != 3 || shape[1] != Config.InputChannels || shape[2] != Config.WindowSamples)
        {
            throw new ArgumentException(
                $"PainAttnNet expects input (batch, {Config.InputChannels}, {Config.WindowSamples}); "
                + $"got ({string.Join(", ", shape)}).",
                nameof(input));
        }
    }
}
