using ScottPlot;

namespace SsdEdge.Trainer.Reporting;

/// <summary>
/// Draws learning curves: training and validation loss on the left, accuracy on the right, one
/// point per epoch. Up to <see cref="MaxFoldsDrawnSeparately"/> folds get a colour each; with
/// more (leave-one-subject-out over many subjects) every fold is a thin grey line under the mean
/// over folds and a band of one sample standard deviation.
/// </summary>
public static class LearningCurvePlot
{
    /// <summary>Largest number of folds drawn with a colour and legend entry each.</summary>
    public const int MaxFoldsDrawnSeparately = 6;

    /// <summary>Width of the saved figure in pixels.</summary>
    public const int Width = 1400;

    /// <summary>Height of the saved figure in pixels.</summary>
    public const int Height = 560;

    /// <summary>Renders the learning curves of <paramref name="folds"/> to a PNG file.</summary>
    /// <param name="folds">Folds whose histories are drawn; folds without history draw nothing.</param>
    /// <param name="title">Figure title, prefixed to each panel's name.</param>
    /// <param name="path">PNG file to write; an existing file is replaced.</param>
    /// <remarks>
    /// Epochs with a non-finite figure break the line there. A panel with nothing to draw shows
    /// a message in place of curves.
    /// </remarks>
    public static void Save(IReadOnlyList<FoldResult> folds, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentException.ThrowIfNullOrEmpty(path);

        var figure = new Multiplot();
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var loss = figure.AddPlot();
        var accuracy = figure.AddPlot();
        figure.RemovePlot(figure.GetPlot(0));

        if (DrawPanel(loss, folds, $"{title}: loss", "Cross-entropy loss", LossSeries))
        {
            FitLossAxis(loss);
        }

        if (DrawPanel(accuracy, folds, $"{title}: accuracy", "Accuracy", AccuracySeries))
        {
            accuracy.Axes.SetLimitsY(-0.02, 1.02);
        }

        // Fonts last, so that they reach labels added while drawing.
        PlotStyle.Apply(loss);
        PlotStyle.Apply(accuracy);
        figure.SavePng(path, Width, Height);
    }

    private static (double[] Train, double[] Validation) LossSeries(IReadOnlyList<EpochRecord> history)
    {
        return (
            history.Select(epoch => epoch.TrainLoss).ToArray(),
            history.Select(epoch => epoch.ValidationLoss ?? double.NaN).ToArray());
    }

    private static (double[] Train, double[] Validation) AccuracySeries(IReadOnlyList<EpochRecord> history)
    {
        return (
            history.Select(epoch => epoch.TrainAccuracy).ToArray(),
            history.Select(epoch => epoch.ValidationAccuracy ?? double.NaN).ToArray());
    }

    // Returns whether the panel shows data; an empty panel shows a message instead.
    private static bool DrawPanel(
        Plot plot,
        IReadOnlyList<FoldResult> folds,
        string title,
        string yLabel,
        Func<IReadOnlyList<EpochRecord>, (double[] Train, double[] Validation)> series)
    {
        plot.Title(title);
        plot.XLabel("Epoch");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
        };

        var drawn = folds.Count <= MaxFoldsDrawnSeparately
            ? DrawEachFold(plot, folds, series)
            : DrawMeanOverFolds(plot, folds, series);
        if (drawn == 0)
        {
            var reason = folds.All(fold => fold.History.Count == 0)
                ? "No epochs recorded"
                : "No finite values to draw";
            var message = plot.Add.Annotation(reason, Alignment.MiddleCenter);
            message.LabelFontSize = 20;
            message.LabelBackgroundColor = Colors.White;
            message.LabelBorderColor = Colors.Gray;
            message.LabelShadowColor = Colors.Transparent;
            plot.Axes.SetLimits(0, 1, 0, 1);
            return false;
        }

        // Outside the data area, so that no curve hides behind it.
        plot.ShowLegend(Edge.Bottom);
        return true;
    }

    // Returns the number of finite points drawn. The legend names each fold's colour once and
    // explains the line styles once, so it stays short with several folds.
    private static int DrawEachFold(
        Plot plot,
        IReadOnlyList<FoldResult> folds,
        Func<IReadOnlyList<EpochRecord>, (double[] Train, double[] Validation)> series)
    {
        var drawn = 0;
        var marked = 0;
        var legend = new List<LegendItem>();
        for (var f = 0; f < folds.Count; f++)
        {
            var fold = folds[f];
            var epochs = fold.History.Select(epoch => (double)epoch.Epoch).ToArray();
            var (train, validation) = series(fold.History);
            var color = PlotStyle.FoldColors[f % PlotStyle.FoldColors.Count];

            drawn += DrawSegments(plot, epochs, train, color, LinePattern.Solid, "");
            drawn += DrawSegments(plot, epochs, validation, color, LinePattern.Dashed, "");
            marked += MarkBestEpoch(plot, fold, epochs, validation, color);
            if (folds.Count > 1)
            {
                legend.Add(LineItem(fold.Name, color, LinePattern.Solid));
            }
        }

        var styleColor = folds.Count == 1 ? PlotStyle.FoldColors[0] : Colors.Black;
        legend.Add(LineItem("train", styleColor, LinePattern.Solid));
        legend.Add(LineItem("validation", styleColor, LinePattern.Dashed));
        if (marked > 0)
        {
            legend.Add(new LegendItem
            {
                LabelText = "epoch selected on validation",
                MarkerShape = MarkerShape.OpenCircle,
                MarkerSize = 12,
                MarkerLineColor = styleColor,
                LineWidth = 0,
            });
        }

        plot.Legend.ManualItems.AddRange(legend);
        plot.Legend.SymbolWidth = 36;
        return drawn;
    }

    private static LegendItem LineItem(string label, Color color, LinePattern pattern)
    {
        return new LegendItem
        {
            LabelText = label,
            LineColor = color,
            LineWidth = 2,
            LinePattern = pattern,
            MarkerShape = MarkerShape.None,
        };
    }

    private static int MarkBestEpoch(
        Plot plot,
        FoldResult fold,
        double[] epochs,
        double[] validation,
        Color color)
    {
        var index = Array.IndexOf(epochs, (double)(fold.BestEpoch ?? -1));
        if (index < 0 || !double.IsFinite(validation[index]))
        {
            return 0;
        }

        plot.Add.Marker(epochs[index], validation[index], MarkerShape.OpenCircle, 14, color);
        return 1;
    }

    private static int DrawMeanOverFolds(
        Plot plot,
        IReadOnlyList<FoldResult> folds,
        Func<IReadOnlyList<EpochRecord>, (double[] Train, double[] Validation)> series)
    {
        var faint = Colors.Gray.WithAlpha(0.25);
        var trainByEpoch = new SortedDictionary<int, List<double>>();
        var validationByEpoch = new SortedDictionary<int, List<double>>();
        foreach (var fold in folds)
        {
            var epochs = fold.History.Select(epoch => (double)epoch.Epoch).ToArray();
            var (train, validation) = series(fold.History);
            DrawSegments(plot, epochs, train, faint, LinePattern.Solid, "", lineWidth: 1);
            DrawSegments(plot, epochs, validation, faint, LinePattern.Dashed, "", lineWidth: 1);
            Collect(trainByEpoch, fold.History, train);
            Collect(validationByEpoch, fold.History, validation);
        }

        var trainStyle = (PlotStyle.Train, LinePattern.Solid, "train");
        var validationStyle = (PlotStyle.Validation, LinePattern.Dashed, "validation");
        return DrawMean(plot, trainByEpoch, trainStyle, folds.Count)
            + DrawMean(plot, validationByEpoch, validationStyle, folds.Count);
    }

    private static void Collect(
        SortedDictionary<int, List<double>> byEpoch,
        IReadOnlyList<EpochRecord> history,
        double[] values)
    {
        for (var i = 0; i < history.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                continue;
            }

            if (!byEpoch.TryGetValue(history[i].Epoch, out var list))
            {
                list = [];
                byEpoch[history[i].Epoch] = list;
            }

            list.Add(values[i]);
        }
    }

    private static int DrawMean(
        Plot plot,
        SortedDictionary<int, List<double>> byEpoch,
        (Color Color, LinePattern Pattern, string Name) style,
        int foldCount)
    {
        var (color, pattern, name) = style;
        if (byEpoch.Count == 0)
        {
            return 0;
        }

        var epochs = byEpoch.Keys.Select(epoch => (double)epoch).ToArray();
        var statistics = byEpoch.Values.Select(MeanAndDeviation.Of).ToArray();
        var mean = statistics.Select(s => s.Mean).ToArray();
        var deviation = statistics.Select(s => s.StandardDeviation ?? 0).ToArray();

        var band = plot.Add.FillY(
            epochs,
            mean.Zip(deviation, (m, d) => m - d).ToArray(),
            mean.Zip(deviation, (m, d) => m + d).ToArray());
        band.FillStyle.Color = color.WithAlpha(0.2);
        band.LineStyle.Width = 0;
        band.LegendText = $"{name} ± 1 SD";

        var line = plot.Add.Scatter(epochs, mean, color);
        line.LinePattern = pattern;
        line.LineWidth = 2.5f;
        line.MarkerSize = 0;
        line.LegendText = $"{name}, mean of {foldCount} folds";
        if (statistics.Any(epoch => epoch.Count < foldCount))
        {
            // Folds that stopped early or had non-finite epochs leave fewer values per epoch.
            line.LegendText = $"{name}, mean of up to {foldCount} folds";
        }
        return epochs.Length;
    }

    // Draws each run of consecutive finite values as its own line, so a NaN epoch leaves a gap.
    private static int DrawSegments(
        Plot plot,
        double[] epochs,
        double[] values,
        Color color,
        LinePattern pattern,
        string legend,
        float lineWidth = 2)
    {
        var drawn = 0;
        var start = 0;
        while (start < values.Length)
        {
            if (!double.IsFinite(values[start]))
            {
                start++;
                continue;
            }

            var end = start;
            while (end < values.Length && double.IsFinite(values[end]))
            {
                end++;
            }

            var line = plot.Add.Scatter(epochs[start..end], values[start..end], color);
            line.LinePattern = pattern;
            line.LineWidth = lineWidth;
            line.MarkerSize = lineWidth >= 2 ? 4 : 0;
            line.LegendText = drawn == 0 ? legend : "";
            drawn += end - start;
            start = end;
        }

        return drawn;
    }

    private static void FitLossAxis(Plot plot)
    {
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsY(Math.Min(0, limits.Bottom), limits.Top);
    }
}
