using System.Text.RegularExpressions;
using SsdEdge.Trainer.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Distillation;

/// <summary>
/// Selection of the teacher modules whose dropout is switched on during distillation: a preset
/// or a comma-separated list of glob patterns over PainAttnNet's module names.
/// </summary>
/// <remarks>
/// Candidates are every dropout module (<see cref="GapDropout"/>) (<c>mscn.short_scale.4</c>, <c>mscn.medium_scale.4</c>,
/// <c>mscn.long_scale.4</c>, <c>mscn.dropout</c>, <c>encoderWrapper.layers.N.feed_forward.dropout</c>,
/// <c>encoderWrapper.layers.N.sublayer_output.{0,1}.dropout</c>) and every attention module
/// (<c>encoderWrapper.layers.N.self_attn.multihead_attention</c>), whose training flag switches
/// dropout on its attention weights. A late-fusion model has the same candidates under each
/// <c>trunks.{i}.</c> and the fusion head's dropout <c>fusion.2</c>. Presets:
/// <list type="bullet">
/// <item><c>all</c>: every candidate.</item>
/// <item><c>encoder</c>: the candidates under an <c>encoderWrapper.</c> (every trunk's, with late
/// fusion), so the MSCN and SE-ResNet stay deterministic.</item>
/// <item><c>head</c>: the dropouts closest to the representation: those of the last encoder
/// layer with early fusion, the fusion head's dropout <c>fusion.2</c> with late fusion.</item>
/// </list>
/// A pattern matches a whole module name: <c>*</c> stands for any run of characters (dots
/// included) and <c>?</c> for one character, as in <c>encoderWrapper.layers.*.feed_forward.dropout</c>.
/// </remarks>
public sealed class StochasticLayers
{
    /// <summary>Preset used when none is given: every dropout of the encoder.</summary>
    public const string DefaultSpecification = "encoder";

    private readonly Regex[] _patterns;

    private StochasticLayers(string specification, Regex[] patterns, string? preset)
    {
        Specification = specification;
        _patterns = patterns;
        Preset = preset;
    }

    /// <summary>The text the selection was parsed from.</summary>
    public string Specification { get; }

    /// <summary>Preset name (<c>all</c>, <c>encoder</c>, <c>head</c>); null for explicit patterns.</summary>
    public string? Preset { get; }

    /// <summary>Parses a preset name or a comma-separated list of glob patterns.</summary>
    /// <exception cref="ArgumentException">The text is empty or contains an empty pattern.</exception>
    public static StochasticLayers Parse(string specification)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(specification);
        var trimmed = specification.Trim();
        var preset = trimmed.ToLowerInvariant();
        if (preset is "all" or "encoder" or "head")
        {
            return new StochasticLayers(trimmed, [], preset);
        }

        var parts = trimmed.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(part => part.Length == 0))
        {
            throw new ArgumentException(
                $"--stochastic-layers '{specification}' contains an empty pattern; use all, encoder, head "
                + "or comma-separated module-name globs such as encoderWrapper.layers.1.*.");
        }

        var patterns = parts.Select(GlobToRegex).ToArray();
        return new StochasticLayers(trimmed, patterns, null);
    }

    /// <summary>
    /// Returns the names of every module of <paramref name="model"/> that can switch dropout on:
    /// dropout modules and attention modules, in module order.
    /// </summary>
    public static IReadOnlyList<string> Candidates(PainAttnNet model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.named_modules()
            .Where(entry => IsCandidate(entry.module))
            .Select(entry => entry.name)
            .ToArray();
    }

    /// <summary>Returns the candidate module names of <paramref name="model"/> that this selection matches.</summary>
    public IReadOnlyList<string> Select(PainAttnNet model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var candidates = Candidates(model);
        var late = model.Config.Fusion == PainAttnNetFusion.Late;
        var lastLayer = $"encoderWrapper.layers.{model.Config.EncoderLayers - 1}.";
        return Preset switch
        {
            "all" => candidates,
            "encoder" => candidates.Where(IsInEncoder).ToArray(),
            "head" when late => candidates.Where(name => name.StartsWith(FusionHeadPrefix, StringComparison.Ordinal))
                .ToArray(),
            "head" => candidates.Where(name => name.StartsWith(lastLayer, StringComparison.Ordinal)).ToArray(),
            _ => candidates.Where(name => _patterns.Any(pattern => pattern.IsMatch(name))).ToArray(),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => Specification;

    /// <summary>Start of every module name in a late-fusion model's fusion head.</summary>
    internal const string FusionHeadPrefix = "fusion.";

    internal static bool IsCandidate(nn.Module module) =>
        module is GapDropout or MultiHeadAttention;

    // An early model's encoder is encoderWrapper, a late model's trunks.{i}.encoderWrapper.
    private static bool IsInEncoder(string name) =>
        name.StartsWith("encoderWrapper.", StringComparison.Ordinal)
        || (name.StartsWith("trunks.", StringComparison.Ordinal)
            && name.Contains(".encoderWrapper.", StringComparison.Ordinal));

    private static Regex GlobToRegex(string glob)
    {
        var escaped = Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal)
            .Replace(@"\?", ".", StringComparison.Ordinal);
        return new Regex($"^{escaped}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
