namespace SsdEdge.Datasets;

/// <summary>Windows a task cut from recordings, with its class labels and what it left out.</summary>
/// <param name="Windows">Windows in recording order, then in time order.</param>
/// <param name="ClassLabels">Class names, indexed by <see cref="LabelledWindow.Label"/>.</param>
/// <param name="OutOfRangeWindows">Windows skipped because they fall partly outside their recording.</param>
/// <param name="ExcludedItems">Events or recordings whose class the task does not use (such as PA1
/// to PA3 in a BL1-versus-PA4 task).</param>
/// <param name="MixedLabelWindows">Windows skipped because their samples carry different labels or
/// include an unlabelled one, in tasks that label each sample.</param>
public sealed record LabelledWindowSet(
    IReadOnlyList<LabelledWindow> Windows,
    IReadOnlyList<string> ClassLabels,
    int OutOfRangeWindows,
    int ExcludedItems,
    int MixedLabelWindows = 0)
{
    /// <summary>Returns the number of windows of each class, indexed by label.</summary>
    public int[] CountByClass()
    {
        var counts = new int[ClassLabels.Count];
        foreach (var window in Windows)
        {
            counts[window.Label]++;
        }

        return counts;
    }
}
