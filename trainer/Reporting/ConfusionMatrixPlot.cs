using System.Globalization;
using ScottPlot;

namespace SsdEdge.Trainer.Reporting;

/// <summary>
/// Draws a confusion matrix as a heatmap: true classes on rows, predicted classes on columns,
/// each cell annotated with its count and its share of the row. The colour is the row share, so
/// classes with few windows read as clearly as large ones.
/// </summary>
public static class ConfusionMatrixPlot
{
    private const int CellPixels = 130;
    private const int MarginPixels = 260;

    /// <summary>Renders <paramref name="matrix"/> to a PNG file.</summary>
    /// <param name="matrix">Counts indexed [true class][predicted class].</param>
    /// <param name="classLabels">Label of each class, in matrix order.</param>
    /// <param name="title">Figure title.</param>
    /// <param name="path">PNG file to write; an existing file is replaced.</param>
    /// <exception cref="ArgumentException">
    /// The matrix is not square, does not match the labels, or contains a negative count.
    /// </exception>
    public static void Save(
        IReadOnlyList<IReadOnlyList<int>> matrix,
        IReadOnlyList<string> classLabels,
        string title,
        string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classLabels);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var classes = classLabels.Count;
        CheckShape(matrix, classes);

        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("Predicted class");
        plot.YLabel("True class");

        // Heatmap row 0 is drawn at the top; cells are centred on integer coordinates.
        var shares = RowShares(matrix);
        var heatmap = plot.Add.Heatmap(shares);
        // ScottPlot's Blues runs from dark to light; reversed, a larger share is darker.
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "Share of true class";

        var rowTotals = matrix.Select(row => row.Sum()).ToArray();
        for (var t = 0; t < classes; t++)
        {
            for (var p = 0; p < classes; p++)
            {
                AnnotateCell(plot, matrix[t][p], rowTotals[t], shares[t, p], p, classes - 1 - t);
            }
        }

        var positions = Enumerable.Range(0, classes).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, classLabels.ToArray());
        plot.Axes.Left.SetTicks(positions, classLabels.Reverse().ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 16;
        plot.Axes.Left.TickLabelStyle.FontSize = 16;
        plot.Axes.Bottom.Label.FontSize = 18;
        plot.Axes.Left.Label.FontSize = 18;
        colorBar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        plot.Axes.SetLimits(-0.5, classes - 0.5, -0.5, classes - 0.5);
        plot.HideGrid();
        PlotStyle.Apply(plot);
        plot.Axes.Title.Label.FontSize = 17;

        var side = MarginPixels + CellPixels * Math.Max(classes, 3);
        plot.SavePng(path, side + 120, side);
    }

    private static void CheckShape(IReadOnlyList<IReadOnlyList<int>> matrix, int classes)
    {
        if (classes == 0)
        {
            throw new ArgumentException("A confusion matrix needs at least one class label; got none.");
        }

        for (var t = 0; t < matrix.Count; t++)
        {
            if (matrix[t].Count != classes)
            {
                throw new ArgumentException(
                    $"Confusion matrix row {t} has {matrix[t].Count} columns; expected {classes}, "
                    + "one per class label.",
                    nameof(matrix));
            }

            if (matrix[t].Any(count => count < 0))
            {
                throw new ArgumentException(
                    $"Confusion matrix row {t} contains a negative count; counts must be 0 or more.",
                    nameof(matrix));
            }
        }

        if (matrix.Count != classes)
        {
            throw new ArgumentException(
                $"Confusion matrix has {matrix.Count} rows; expected {classes}, one per class label.",
                nameof(matrix));
        }
    }

    // Share of each true class predicted as each class; 0 across a row with no windows.
    private static double[,] RowShares(IReadOnlyList<IReadOnlyList<int>> matrix)
    {
        var classes = matrix.Count;
        var shares = new double[classes, classes];
        for (var t = 0; t < classes; t++)
        {
            var total = matrix[t].Sum();
            for (var p = 0; p < classes; p++)
            {
                shares[t, p] = total == 0 ? 0 : (double)matrix[t][p] / total;
            }
        }

        return shares;
    }

    private static void AnnotateCell(Plot plot, int count, int rowTotal, double share, double x, double y)
    {
        var percent = rowTotal == 0
            ? "no windows"
            : (share * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";
        var text = plot.Add.Text($"{count.ToString(CultureInfo.InvariantCulture)}\n{percent}", x, y);
        text.LabelAlignment = Alignment.MiddleCenter;
        text.LabelFontSize = 20;
        text.LabelBold = true;
        text.LabelFontColor = share > 0.55 ? Colors.White : Colors.Black;
    }
}
