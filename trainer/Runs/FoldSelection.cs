using System.Globalization;

namespace SsdEdge.Trainer.Runs;

/// <summary>Picks one fold of a run by name or number, for the commands that use one model.</summary>
public static class FoldSelection
{
    /// <summary>Returns the fold named or numbered (from 1) by <paramref name="requested"/>; null picks the only fold.</summary>
    /// <exception cref="ArgumentException">The run has several folds and none was requested, or no fold matches.</exception>
    public static (FoldInfo Fold, int Number) Select(RunInfo info, string? requested)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (requested is null)
        {
            if (info.Folds.Count == 1)
            {
                return (info.Folds[0], 1);
            }

            throw new ArgumentException(
                $"Run '{info.RunId}' has {info.Folds.Count} folds; pass --fold with a name "
                + $"({string.Join(", ", info.Folds.Take(3).Select(f => f.Name))}, ...) or a number from 1 to {info.Folds.Count}.");
        }

        for (var index = 0; index < info.Folds.Count; index++)
        {
            var matchesNumber = int.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number == index + 1;
            if (matchesNumber || string.Equals(info.Folds[index].Name, requested, StringComparison.Ordinal))
            {
                return (info.Folds[index], index + 1);
            }
        }

        throw new ArgumentException(
            $"Run '{info.RunId}' has no fold '{requested}'; use a name such as {info.Folds[0].Name} "
            + $"or a number from 1 to {info.Folds.Count}.");
    }
}
