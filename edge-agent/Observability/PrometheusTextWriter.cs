using System.Globalization;
using System.Text;

namespace SsdEdge.EdgeAgent.Observability;

/// <summary>
/// Writes metrics in the Prometheus text exposition format 0.0.4: one <c># HELP</c> and one
/// <c># TYPE</c> line per metric family, then its samples.
/// </summary>
/// <remarks>HELP text escapes <c>\</c> and line feed; label values escape <c>\</c>, <c>"</c> and
/// line feed. Values use invariant culture, with <c>+Inf</c>, <c>-Inf</c> and <c>NaN</c>.</remarks>
public sealed class PrometheusTextWriter
{
    /// <summary>Content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>Starts a metric family.</summary>
    /// <param name="name">Metric name, matching <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</param>
    /// <param name="type">counter, gauge, histogram, summary or untyped.</param>
    /// <param name="help">One-line description.</param>
    public void Family(string name, string type, string help)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>Writes one sample with its labels as name/value pairs.</summary>
    public void Sample(string name, double value, params (string Name, string Value)[] labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    _text.Append(',');
                }

                _text.Append(labels[i].Name).Append("=\"").Append(EscapeLabelValue(labels[i].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    /// <summary>Writes the bucket, sum and count samples of a histogram family started with
    /// <see cref="Family"/>.</summary>
    public void Histogram(string name, Histogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var (cumulative, sum, count) = histogram.Snapshot();
        for (var i = 0; i < cumulative.Length; i++)
        {
            Sample(name + "_bucket", cumulative[i], ("le", FormatValue(histogram.UpperBounds[i])));
        }

        Sample(name + "_bucket", count, ("le", "+Inf"));
        Sample(name + "_sum", sum);
        Sample(name + "_count", count);
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>Escapes HELP text: backslash and line feed.</summary>
    public static string EscapeHelp(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>Formats a sample value as the format requires.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
