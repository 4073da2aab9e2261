using System.Globalization;
using SsdEdge.Trainer.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Distillation;

/// <summary>
/// A frozen PainAttnNet teacher that returns N stochastic representations per window: the
/// selected dropout modules run in training mode, every other module in eval mode (BatchNorm uses
/// its running statistics), and no parameter takes a gradient.
/// </summary>
/// <remarks>
/// The deterministic prefix, everything before the first active module, runs once per batch: the
/// MSCN, the SE-ResNet, the encoder layers before the first layer with an active module, and that
/// layer's start up to its attention weights (its TCNs, projections and softmax). When an MSCN
/// module is active the prefix is empty. On a late-fusion model the prefix is every trunk and
/// the fusion head's Linear and ReLU when only the fusion dropout (<c>fusion.2</c>) is active.
/// When trunk encoder modules are active, the prefix is the same start as above in every trunk,
/// up to the first layer with an active module in any trunk. The trunks' rest, their
/// concatenation and the fusion head then run per pass. A trunk MSCN module empties it. The rest runs on N copies of the prefix output stacked
/// along the batch axis, in forwards of whole passes of at most <see cref="ChunkRows"/> rows,
/// without gradient. When one chunk contains all N×B rows, the same seed gives the representations
/// of N full forward passes: dropout draws its masks in the same order on tensors of the same
/// shape. The teacher's modes, trainability and dropout rates are changed in place and stay so;
/// the caller keeps ownership of the model.
/// </remarks>
public sealed class StochasticTeacher
{
    /// <summary>
    /// Largest difference between two passes, in feature units, below which the passes count as
    /// identical. A dropout mask changes LayerNorm-ed features by far more than this.
    /// </summary>
    public const double IdenticalPassesTolerance = 1e-6;

    private readonly PainAttnNet _model;

    /// <summary>Freezes <paramref name="model"/> and switches on the selected dropout modules.</summary>
    /// <param name="model">Trained teacher, on the device the batches will come from.</param>
    /// <param name="layers">Modules whose dropout is switched on.</param>
    /// <param name="dropoutRate">
    /// Rate in [0, 1) that replaces the configured one on the selected dropout modules; null keeps
    /// it. Attention dropout keeps the rate the model was built with.
    /// </param>
    /// <param name="chunkRows">
    /// Maximum rows (passes × windows) in one forward of the stochastic part; null for
    /// <see cref="AutomaticChunkRows"/>. A chunk contains at least one whole pass.
    /// </param>
    /// <exception cref="ArgumentException">The selection matches no module, or the rate is outside [0, 1).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkRows"/> is below 1.</exception>
    public StochasticTeacher(
        PainAttnNet model,
        StochasticLayers layers,
        double? dropoutRate = null,
        int? chunkRows = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);
        if (dropoutRate is { } rate && !(rate >= 0 && rate < 1))
        {
            throw new ArgumentException(
                $"--dropout-rate {rate} is invalid; use a rate from 0 up to but not including 1, such as 0.1.");
        }

        var active = layers.Select(model);
        if (active.Count == 0)
        {
            throw new ArgumentException(
                $"--stochastic-layers '{layers}' matches no dropout module, so every teacher pass would be "
                + "identical. Use all, encoder, head or a pattern matching one of: "
                + $"{string.Join(", ", StochasticLayers.Candidates(model))}.");
        }

        if (chunkRows is { } rows)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1, nameof(chunkRows));
        }

        _model = model;
        Layers = layers;
        ChunkRows = chunkRows;
        ActiveModules = active;
        DropoutRate = dropoutRate;
        Freeze(model, active, dropoutRate);
        if (model.Config.Fusion == PainAttnNetFusion.Late)
        {
            FusionDropoutOnly = active.All(name => name.StartsWith(StochasticLayers.FusionHeadPrefix, StringComparison.Ordinal));
            if (!FusionDropoutOnly)
            {
                // Trunk encoder modules, and the fusion dropout, which runs after every trunk.
                var inTrunks = active.Where(name => !name.StartsWith(StochasticLayers.FusionHeadPrefix, StringComparison.Ordinal));
                PrefixEncoderLayers = FirstStochasticLayer(
                    inTrunks.Select(WithoutTrunk).ToArray(), model.Config.EncoderLayers);
            }
        }
        else
        {
            PrefixEncoderLayers = FirstStochasticLayer(active, model.Config.EncoderLayers);
        }
    }

    /// <summary>The teacher model.</summary>
    public PainAttnNet Model => _model;

    /// <summary>The selection the active modules came from.</summary>
    public StochasticLayers Layers { get; }

    /// <summary>Names of the modules in training mode.</summary>
    public IReadOnlyList<string> ActiveModules { get; }

    /// <summary>Rate set on the active dropout modules; null when they keep the configured one.</summary>
    public double? DropoutRate { get; }

    /// <summary>
    /// Maximum rows in one forward of the stochastic part, or null for
    /// <see cref="AutomaticChunkRows"/>.
    /// </summary>
    public int? ChunkRows { get; }

    /// <summary>
    /// Rows per forward of the stochastic part when none is given: as many as keep one encoder
    /// layer's attention weights (rows × heads × steps² floats) within 16 MiB, and at least one.
    /// </summary>
    /// <remarks>
    /// Chunks of this size keep the largest activations in the processor's caches and below the
    /// size at which the C allocator maps fresh pages for every tensor. With N = 30 and B = 32 on
    /// one AMD EPYC core, the teacher of the <c>encoder</c> preset took about 445 ms a batch in
    /// chunks of 128 to 160 rows and 610 ms with all 960 rows at once.
    /// </remarks>
    public static int AutomaticChunkRows(PainAttnNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        const long Budget = 16L << 20;
        var bytesPerRow = (long)config.Heads * config.FeatureSteps * config.FeatureSteps * sizeof(float);
        return (int)Math.Max(1, Budget / bytesPerRow);
    }

    /// <summary>
    /// Encoder layers of an early-fusion teacher that run once per batch after the MSCN and
    /// SE-ResNet, before the first layer with an active module. Null when an active module lies
    /// in the MSCN, so every pass runs the whole model. On a late-fusion teacher the same holds
    /// for every trunk at once, and it is null when only the fusion dropout is active.
    /// </summary>
    public int? PrefixEncoderLayers { get; }

    /// <summary>
    /// Whether the teacher uses late fusion and its only active module is the fusion dropout, so
    /// the trunks and the fusion Linear and ReLU run once per batch and only the dropout once per pass.
    /// </summary>
    public bool FusionDropoutOnly { get; }

    /// <summary>Whether the MSCN and SE-ResNet (every trunk's, with late fusion) run once per batch instead of once per pass.</summary>
    public bool PrefixRunsOnce => PrefixEncoderLayers is not null || FusionDropoutOnly;

    /// <summary>Windows that went through the MSCN (all trunks of a late-fusion model) since this teacher was created.</summary>
    public long MscnWindows { get; private set; }

    /// <summary>Rows (passes × windows) that went through the stochastic part since this teacher was created.</summary>
    public long SuffixRows { get; private set; }

    /// <summary>Describes which part runs once per batch and which once per pass.</summary>
    public string DescribeSplit() =>
        PrefixEncoderLayers switch
        {
            null when FusionDropoutOnly =>
                "trunks, fusion Linear and ReLU once per batch, the fusion dropout per pass",
            null => "whole teacher per pass",
            int prefix when _model.Config.Fusion == PainAttnNetFusion.Late =>
                $"every trunk's MSCN, SE-ResNet{(prefix > 0 ? $", encoder {Range(0, prefix - 1)}" : "")} and "
                + $"layer {prefix} up to attention weights once per batch, the rest and the fusion head per pass",
            0 => "MSCN, SE-ResNet and layer 0 up to attention weights once per batch, the rest per pass",
            int prefix => $"MSCN, SE-ResNet, encoder {Range(0, prefix - 1)} and layer {prefix} up to attention "
                + "weights once per batch, the rest per pass",
        };

    /// <summary>Computes <paramref name="passes"/> stochastic representations of every window.</summary>
    /// <param name="input">Windows (B, channels, samples).</param>
    /// <param name="passes">Stochastic passes N; at least 2.</param>
    /// <returns>(B, N, feature length) representations without gradient; the caller disposes them.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 passes.</exception>
    /// <exception cref="InvalidOperationException">
    /// The passes of a window are identical, so the selected modules add no randomness.
    /// </exception>
    public Tensor Sample(Tensor input, int passes)
    {
        var byWindow = Represent(input, passes);
        try
        {
            ThrowIfIdentical(byWindow);
        }
        catch
        {
            byWindow.Dispose();
            throw;
        }

        return byWindow;
    }

    /// <summary>
    /// Computes the representations as <see cref="Sample"/> does, without checking that the
    /// passes differ.
    /// </summary>
    internal Tensor Represent(Tensor input, int passes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 2);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = (int)input.shape[0];

        // Deterministic prefix once per batch: up to the attention weights of the first
        // stochastic layer, or up to the fusion dropout of a late-fusion model.
        EncoderLayerPrefix? prefix = null;
        IReadOnlyList<EncoderLayerPrefix>? trunkPrefixes = null;
        Tensor? fusionHidden = null;
        if (FusionDropoutOnly)
        {
            fusionHidden = _model.ForwardFusionHidden(input);
            MscnWindows += batch;
        }
        else if (PrefixEncoderLayers is { } trunkLayers && _model.Config.Fusion == PainAttnNetFusion.Late)
        {
            trunkPrefixes = _model.BeginTrunkEncoderLayer(input, trunkLayers);
            MscnWindows += batch;
        }
        else if (PrefixEncoderLayers is { } prefixLayers)
        {
            var mscn = _model.ForwardMscn(input);
            MscnWindows += batch;
            var seresnet = _model.ForwardSeResNet(mscn);
            var layers = _model.ForwardEncoderLayers(seresnet, 0, prefixLayers);
            prefix = _model.BeginEncoderLayer(layers, prefixLayers);
        }

        // The stochastic rest on copies of the prefix output, whole passes per chunk.
        // Copies of the fusion hidden units are small, so they need no automatic chunks.
        var chunkRows = ChunkRows ?? (fusionHidden is not null ? passes * batch : AutomaticChunkRows(_model.Config));
        var passesPerChunk = Math.Clamp(chunkRows / Math.Max(batch, 1), 1, passes);
        var chunks = new List<Tensor>();
        for (var done = 0; done < passes; done += passesPerChunk)
        {
            var count = Math.Min(passesPerChunk, passes - done);
            using var chunkScope = NewDisposeScope();
            Tensor features;
            if (fusionHidden is not null)
            {
                // The copies are (count × B, hidden units): 480 KB of float32 at N = 30, B = 32 and 128 units.
                var copies = fusionHidden.repeat(count, 1);
                features = _model.ForwardFusionDropout(copies);
            }
            else if (trunkPrefixes is not null)
            {
                features = _model.FinishTrunksFromPasses(trunkPrefixes, PrefixEncoderLayers!.Value, count);
            }
            else if (prefix is not null)
            {
                features = _model.FinishEncoderFromPasses(prefix, PrefixEncoderLayers!.Value, count);
            }
            else
            {
                var repeated = input.repeat(count, 1, 1);
                MscnWindows += (long)batch * count;
                features = _model.ExtractFeatures(repeated);
            }

            SuffixRows += (long)batch * count;

            // Rows are ordered pass-major (pass p, window b at p·B + b).
            chunks.Add(features.reshape(count, batch, _model.Config.FeatureLength).MoveToOuterDisposeScope());
        }

        var byPass = chunks.Count == 1 ? chunks[0] : cat(chunks, 0);
        var byWindow = byPass.permute(1, 0, 2).contiguous();
        return byWindow.MoveToOuterDisposeScope();
    }

    // A trunk module's name as the early-fusion model names it: trunks.2.encoderWrapper.x to encoderWrapper.x.
    private static string WithoutTrunk(string name)
    {
        const string TrunkPrefix = "trunks.";
        if (!name.StartsWith(TrunkPrefix, StringComparison.Ordinal))
        {
            return name;
        }

        var dot = name.IndexOf('.', TrunkPrefix.Length);
        return dot < 0 ? name : name[(dot + 1)..];
    }

    private static string Range(int first, int last) =>
        first == last ? $"layer {first}" : $"layers {first}-{last}";

    // Index of the first encoder layer that contains an active module, or null when one lies outside the encoder layers.
    private static int? FirstStochasticLayer(IReadOnlyList<string> active, int encoderLayers)
    {
        const string LayerPrefix = "encoderWrapper.layers.";
        var first = encoderLayers;
        foreach (var name in active)
        {
            if (!name.StartsWith(LayerPrefix, StringComparison.Ordinal))
            {
                return null;
            }

            var rest = name.AsSpan(LayerPrefix.Length);
            var dot = rest.IndexOf('.');
            if (dot < 0 || !int.TryParse(rest[..dot], System.Globalization.CultureInfo.InvariantCulture, out var layer))
            {
                return null;
            }

            first = Math.Min(first, layer);
        }

        return first;
    }

    /// <summary>
    /// Returns the dropout rate of each module in <paramref name="names"/>, in that order: the rate
    /// of a dropout module, or the rate on the attention weights of an attention module.
    /// </summary>
    internal static IReadOnlyList<double> DropoutRatesOf(PainAttnNet model, IReadOnlyList<string> names)
    {
        var modules = model.named_modules().ToDictionary(entry => entry.name, entry => entry.module, StringComparer.Ordinal);
        return names
            .Select(name => modules[name] switch
            {
                GapDropout dropout => dropout.Rate,
                MultiHeadAttention attention => attention.DropoutRate,
                _ => throw new ArgumentException($"Module '{name}' has no dropout rate.", nameof(names)),
            })
            .ToArray();
    }

    private void ThrowIfIdentical(Tensor byWindow)
    {
        using var scope = NewDisposeScope();
        var spread = (byWindow.amax(1) - byWindow.amin(1)).max().ToDouble();
        if (spread < IdenticalPassesTolerance)
        {
            throw new InvalidOperationException(
                $"The {byWindow.shape[1]} teacher passes are identical (largest difference {spread:G3}), "
                + $"so distillation would learn from one deterministic teacher. --stochastic-layers "
                + $"'{Layers}' switches on {DescribeActiveRates()}. Select other modules with "
                + "--stochastic-layers (all, encoder, head) or set --dropout-rate above 0, such as 0.1.");
        }
    }

    // The active modules with the rate they run at, such as "fusion.2 at its configured rate (0)".
    private string DescribeActiveRates()
    {
        var modules = string.Join(", ", ActiveModules);
        if (DropoutRate is { } rate)
        {
            return $"{modules} at --dropout-rate {rate.ToString(CultureInfo.InvariantCulture)}";
        }

        var rates = DropoutRatesOf(_model, ActiveModules);
        if (rates.Distinct().Count() == 1)
        {
            var owner = rates.Count == 1 ? "its" : "their";
            return $"{modules} at {owner} configured rate ({rates[0].ToString(CultureInfo.InvariantCulture)})";
        }

        return "modules at their configured rates: " + string.Join(
            ", ",
            ActiveModules.Zip(rates, (name, value) => $"{name} ({value.ToString(CultureInfo.InvariantCulture)})"));
    }

    private static void Freeze(PainAttnNet model, IReadOnlyList<string> active, double? dropoutRate)
    {
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = false;
        }

        model.eval();
        var selected = active.ToHashSet(StringComparer.Ordinal);
        foreach (var (name, module) in model.named_modules())
        {
            if (!selected.Contains(name))
            {
                continue;
            }

            // An attention module's training flag only gates dropout on its attention weights,
            // because its one submodule, out_proj, is a Linear.
            module.train();
            if (dropoutRate is { } rate && module is GapDropout dropout)
            {
                dropout.Rate = rate;
            }
            else if (dropoutRate is { } attentionRate && module is MultiHeadAttention attention)
            {
                attention.DropoutRate = attentionRate;
            }
        }
    }
}
