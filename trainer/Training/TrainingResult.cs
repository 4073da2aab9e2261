using SsdEdge.Trainer.Model;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Training;

/// <summary>
/// History of a training run and a CPU copy of the weights at the best validation epoch.
/// Disposing it releases that copy.
/// </summary>
public sealed class TrainingResult : IDisposable
{
    private readonly Dictionary<string, Tensor>? _bestState;

    internal TrainingResult(
        IReadOnlyList<EpochMetrics> history,
        int? bestEpoch,
        Dictionary<string, Tensor>? bestState,
        int resumedFromEpoch = 0)
    {
        History = history;
        BestEpoch = bestEpoch;
        _bestState = bestState;
        ResumedFromEpoch = resumedFromEpoch;
    }

    /// <summary>Metrics of every completed epoch, in order.</summary>
    public IReadOnlyList<EpochMetrics> History { get; }

    /// <summary>
    /// Epochs restored from a training checkpoint instead of trained in this call; 0 for a run
    /// that started from scratch. Equal to the history's length when the checkpoint was complete.
    /// </summary>
    public int ResumedFromEpoch { get; }

    /// <summary>Metrics of the last completed epoch.</summary>
    public EpochMetrics LastEpoch => History[^1];

    /// <summary>Epoch number (from 1) chosen on the validation set; null when training had no validation set.</summary>
    public int? BestEpoch { get; }

    /// <summary>Metrics of <see cref="BestEpoch"/>; null when training had no validation set.</summary>
    public EpochMetrics? Best => BestEpoch is { } epoch ? History[epoch - 1] : null;

    /// <summary>
    /// state_dict of the model at <see cref="BestEpoch"/>, on the CPU; null without a validation set.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor>? BestState => _bestState;

    /// <summary>Loads the best-epoch weights into <paramref name="model"/> (on whatever device it is).</summary>
    /// <exception cref="InvalidOperationException">Training had no validation set, so no best epoch exists.</exception>
    public void LoadBestState(PainAttnNet model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_bestState is null)
        {
            throw new InvalidOperationException(
                "No best-epoch weights: training ran without a validation set. Use the model as trained.");
        }

        model.load_state_dict(_bestState);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_bestState is null)
        {
            return;
        }

        foreach (var tensor in _bestState.Values)
        {
            tensor.Dispose();
        }

        _bestState.Clear();
    }
}
