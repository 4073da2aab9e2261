using SsdEdge.Datasets;
using SsdEdge.Trainer.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Training;

/// <summary>
/// Runs a model in eval mode, without gradients, over windows in batches on the device that holds
/// the model's parameters. The model's training flag is restored afterwards.
/// </summary>
public sealed class Predictor
{
    private readonly PainAttnNet _model;
    private readonly int _batchSize;

    /// <summary>Creates a predictor for <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1.</exception>
    public Predictor(PainAttnNet model, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _model = model;
        _batchSize = batchSize;
    }

    /// <summary>Predicts every window of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The dataset's window shape or classes do not fit the model.</exception>
    public Predictions Predict(WindowDataset data, bool includeFeatures = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        WindowBatches.CheckCompatible(data, _model.Config, nameof(data));
        return Predict(data.Inputs, includeFeatures);
    }

    /// <summary>
    /// Predicts windows laid out (N, channels, samples) in C order with the model's channel count and
    /// window length.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a whole number of windows.</exception>
    public Predictions Predict(float[] inputs, bool includeFeatures = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var config = _model.Config;
        var windowSize = config.InputChannels * config.WindowSamples;
        if (inputs.Length % windowSize != 0)
        {
            throw new ArgumentException(
                $"{inputs.Length} input values are not a whole number of {config.InputChannels}x"
                + $"{config.WindowSamples} windows ({windowSize} values each).",
                nameof(inputs));
        }

        var count = inputs.Length / windowSize;
        var logits = new float[count * config.Classes];
        var probabilities = new float[count * config.Classes];
        var features = includeFeatures ? new float[(long)count * config.FeatureLength] : null;
        var device = _model.parameters().First().device;

        var wasTraining = _model.training;
        _model.eval();
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < count; start += _batchSize)
            {
                using var scope = NewDisposeScope();
                var size = Math.Min(_batchSize, count - start);
                var indices = Enumerable.Range(start, size).ToArray();
                var batch = WindowBatches.Inputs(inputs, indices, config.InputChannels, config.WindowSamples, device);
                var batchFeatures = _model.ExtractFeatures(batch);
                var batchLogits = _model.ForwardHead(batchFeatures);
                var batchProbabilities = nn.functional.softmax(batchLogits, 1);

                CopyRows(batchLogits, logits, start * config.Classes);
                CopyRows(batchProbabilities, probabilities, start * config.Classes);
                if (features is not null)
                {
                    CopyRows(batchFeatures, features, (long)start * config.FeatureLength);
                }
            }
        }
        finally
        {
            _model.train(wasTraining);
        }

        return new Predictions(count, config.Classes, logits, probabilities, features, config.FeatureLength);
    }

    private static void CopyRows(Tensor source, float[] destination, long offset)
    {
        using var onCpu = source.detach().cpu().contiguous();
        var values = onCpu.data<float>().ToArray();
        values.CopyTo(destination, offset);
    }
}
