using ScottPlot;

namespace SsdEdge.Trainer.Reporting;

/// <summary>Fonts and colours shared by the report figures.</summary>
internal static class PlotStyle
{
    // Sans-serif families in order of preference: DejaVu Sans as in Debian's fonts-dejavu-core,
    // then common Linux, Windows and macOS families.
    private static readonly string[] PreferredFonts =
        ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Segoe UI"];

    private static readonly Lazy<string> Font = new(SelectFont);
    private static readonly Lazy<bool> TextCheck = new(CheckText);

    /// <summary>Colours of individually drawn folds (Tableau 10).</summary>
    public static IReadOnlyList<Color> FoldColors { get; } =
    [
        Color.FromHex("#1f77b4"),
        Color.FromHex("#ff7f0e"),
        Color.FromHex("#2ca02c"),
        Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"),
        Color.FromHex("#8c564b"),
        Color.FromHex("#e377c2"),
        Color.FromHex("#7f7f7f"),
    ];

    /// <summary>Colour of training curves in the mean-over-folds view.</summary>
    public static Color Train { get; } = Color.FromHex("#1f77b4");

    /// <summary>Colour of validation curves in the mean-over-folds view.</summary>
    public static Color Validation { get; } = Color.FromHex("#ff7f0e");

    /// <summary>
    /// Whether the selected font can draw digits. SkiaSharp draws text only with fonts installed
    /// on the machine, so on a system without any font the figures keep their lines and cells
    /// but lose every label.
    /// </summary>
    public static bool CanDrawText => TextCheck.Value;

    /// <summary>Sets the sans-serif font on every label of <paramref name="plot"/>.</summary>
    public static void Apply(Plot plot)
    {
        plot.Font.Set(Font.Value);

        // Manual legend items keep the legend's own font, which Font.Set leaves alone.
        plot.Legend.FontName = Font.Value;
    }

    private static bool CheckText()
    {
        var typeface = Fonts.GetTypeface(Font.Value, bold: false, italic: false);
        return typeface is not null && typeface.GlyphCount > 0 && typeface.ContainsGlyphs("0123456789");
    }

    private static string SelectFont()
    {
        foreach (var name in PreferredFonts)
        {
            // Skia substitutes a fallback for a missing family, so compare the family found.
            var typeface = Fonts.GetTypeface(name, bold: false, italic: false);
            if (string.Equals(typeface?.FamilyName, name, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return Fonts.Default;
    }
}
