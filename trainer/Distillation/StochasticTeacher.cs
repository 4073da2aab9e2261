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
/// The deterministic prefix runs once per batch: the MSCN and SE-ResNet when every active module
/// lies in the encoder, nothing otherwise. The N passes of the rest run as one batch of N×B rows
/// without gradient. The teacher's modes, trainability and dropout rates are changed in place and
/// stay so; the caller keeps ownership of the model.
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
    /// <exception cref="ArgumentException">The selection matches no module, or the rate is outside [0, 1).</exception>
    public StochasticTeacher(PainAttnNet model, StochasticLayers layers, double? dropoutRate = null)
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

        _model = model;
        Layers = layers;
        ActiveModules = active;
        DropoutRate = dropoutRate;
        Freeze(model, active, dropoutRate);
        PrefixRunsOnce = active.All(name => name.StartsWith("encoderWrapper.", StringComparison.Ordinal));
    }

    /// <summary>The teacher model.</summary>
    public PainAttnNet Model => _model;

    /// <summary>The selection the active modules came from.</summary>
    public StochasticLayers Layers { get; }

    /// <summary>Names of the modules in training mode.</summary>
    public IReadOnlyList<string> ActiveModules { get; }

    /// <summary>Rate set on the active dropout modules; null when they keep the configured one.</summary>
    public double? DropoutRate { get; }

    /// <summary>Whether the MSCN and SE-ResNet run once per batch instead of once per pass.</summary>
    public bool PrefixRunsOnce { get; }

    /// <summary>Windows that went through the MSCN since this teacher was created.</summary>
    public long MscnWindows { get; private set; }

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
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 2);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = input.shape[0];
        Tensor features;
        if (PrefixRunsOnce)
        {
            // Deterministic prefix once, then the encoder on N copies of its output.
            var mscn = _model.ForwardMscn(input);
            MscnWindows += batch;
            var seresnet = _model.ForwardSeResNet(mscn);
            var repeated = seresnet.repeat(passes, 1, 1);
            features = _model.ForwardEncoder(repeated);
        }
        else
        {
            var repeated = input.repeat(passes, 1, 1);
            MscnWindows += batch * passes;
            features = _model.ExtractFeatures(repeated);
        }

        // Rows are ordered pass-major (pass p, window b at p·B + b); regroup them per window.
        var byPass = features.reshape(passes, batch, _model.Config.FeatureLength);
        var byWindow = byPass.permute(1, 0, 2).contiguous();
        ThrowIfIdentical(byWindow);
        return byWindow.MoveToOuterDisposeScope();
    }

    private void ThrowIfIdentical(Tensor byWindow)
    {
        using var scope = NewDisposeScope();
        var spread = (byWindow.amax(1) - byWindow.amin(1)).max().ToDouble();
        if (spread < IdenticalPassesTolerance)
        {
            var rate = DropoutRate is { } value ? $"{value}" : "the configured rate";
            throw new InvalidOperationException(
                $"The {byWindow.shape[1]} teacher passes are identical (largest difference {spread:G3}), "
                + $"so distillation would learn from one deterministic teacher. --stochastic-layers "
                + $"'{Layers}' switches on {string.Join(", ", ActiveModules)} at --dropout-rate {rate}; "
                + "select other modules (all, encoder, head) or a rate above 0.");
        }
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
            if (dropoutRate is { } rate && module is TorchSharp.Modules.Dropout dropout)
            {
                dropout.p = rate;
            }
            else if (dropoutRate is { } attentionRate && module is MultiHeadAttention attention)
            {
                attention.DropoutRate = attentionRate;
            }
        }
    }
}
