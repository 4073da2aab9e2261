using System.Globalization;

namespace SsdEdge.Trainer.Runs;

/// <summary>Picks one fold of a run or fold plan by name or number, for the commands that use one fold.</summary>
public static class FoldSelection
{
    /// <summary>Returns the fold named or numbered (from 1) by <paramref name="requested"/>; null picks the only fold.</summary>
    /// <exception cref="ArgumentException">The run has several folds and none was requested, or no fold matches.</exception>
    public static (FoldInfo Fold, int Number) Select(RunInfo info, string? requested)
    {
        ArgumentNullException.ThrowIfNull(info);
        var number = SelectNumber(info.Folds.Select(fold => fold.Name).ToArray(), requested, $"Run '{info.RunId}'");
        return (info.Folds[number - 1], number);
    }

    /// <summary>
    /// Returns the number (from 1) of the fold in <paramref name="names"/> that
    /// <paramref name="requested"/> names or numbers; null picks the only fold.
    /// </summary>
    /// <param name="names">Fold names in plan order.</param>
    /// <param name="requested">A fold name, a number from 1, or null.</param>
    /// <param name="owner">What the folds belong to, for error messages, such as <c>Run 'x'</c>.</param>
    /// <exception cref="ArgumentException">There are several folds and none was requested, or no fold matches.</exception>
    public static int SelectNumber(IReadOnlyList<string> names, string? requested, string owner)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (names.Count == 0)
        {
            throw new ArgumentException($"{owner} has no folds.");
        }

        if (requested is null)
        {
            if (names.Count == 1)
            {
                return 1;
            }

            throw new ArgumentException(
                $"{owner} has {names.Count} folds; pass --fold with a name "
                + $"({string.Join(", ", names.Take(3))}, ...) or a number from 1 to {names.Count}.");
        }

        for (var index = 0; index < names.Count; index++)
        {
            var matchesNumber = int.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number == index + 1;
            if (matchesNumber || string.Equals(names[index], requested, StringComparison.Ordinal))
            {
                return index + 1;
            }
        }

        throw new ArgumentException(
            $"{owner} has no fold '{requested}'; use a name such as {names[0]} "
            + $"or a number from 1 to {names.Count}.");
    }
}
