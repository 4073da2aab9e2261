using System.CommandLine;
using System.Globalization;
using SsdEdge.Trainer.Model;

namespace SsdEdge.Trainer.Cli;

/// <summary>The <c>--fusion</c>, <c>--fusion-hidden</c> and <c>--fusion-dropout</c> options of a command.</summary>
internal sealed class FusionOptions
{
    private readonly Option<string> _fusion = new("--fusion")
    {
        Description = "Where the input channels meet: early (all channels enter one MSCN, the published "
            + "model) or late (one MSCN, SE-ResNet and encoder per channel, then a Linear, ReLU and dropout "
            + "fusion head).",
        DefaultValueFactory = _ => "early",
    };

    private readonly Option<int?> _hidden = new("--fusion-hidden")
    {
        Description = "Hidden units of the late-fusion head, the length of the representation that "
            + "distillation works on (default 128). Only with --fusion late.",
    };

    private readonly Option<double?> _dropout = new("--fusion-dropout")
    {
        Description = "Dropout rate after the late-fusion head's ReLU, from 0 up to but not including 1 "
            + "(default 0.5). Only with --fusion late.",
    };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_fusion);
        command.Options.Add(_hidden);
        command.Options.Add(_dropout);
    }

    /// <summary>Returns the fusion settings given on the command line, with the configuration's defaults for the rest.</summary>
    /// <exception cref="ArgumentException">
    /// The fusion is unknown, a value is out of range, or a late-fusion option comes without <c>--fusion late</c>.
    /// </exception>
    public (PainAttnNetFusion Fusion, int HiddenUnits, double Dropout) Read(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var text = parseResult.GetValue(_fusion)!;
        var fusion = text.Trim().ToLowerInvariant() switch
        {
            "early" => PainAttnNetFusion.Early,
            "late" => PainAttnNetFusion.Late,
            _ => throw new ArgumentException($"--fusion '{text}' is unknown; use early or late."),
        };
        var hidden = parseResult.GetValue(_hidden);
        var dropout = parseResult.GetValue(_dropout);
        if (fusion == PainAttnNetFusion.Early && (hidden is not null || dropout is not null))
        {
            var option = hidden is not null ? "--fusion-hidden" : "--fusion-dropout";
            throw new ArgumentException($"{option} sets the late-fusion head; add --fusion late or leave it out.");
        }

        var defaults = new PainAttnNetConfig();
        if (hidden is < 1)
        {
            throw new ArgumentException($"--fusion-hidden {hidden} is invalid; use at least 1, such as 128.");
        }

        if (dropout is { } rate && !(rate >= 0 && rate < 1))
        {
            throw new ArgumentException(
                $"--fusion-dropout {rate.ToString(CultureInfo.InvariantCulture)} is invalid; use a rate from 0 up to "
                + "but not including 1, such as 0.5.");
        }

        return (fusion, hidden ?? defaults.FusionHiddenUnits, dropout ?? defaults.FusionDropout);
    }
}
