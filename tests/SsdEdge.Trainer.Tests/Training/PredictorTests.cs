using SsdEdge.Numerics;
using SsdEdge.Tests;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Model;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.Training;

public sealed class PredictorTests
{
    [Fact]
    public void Predict_ReferenceWeights_MatchReferenceLogitsAndFeatures()
    {
        var input = NpyFile.Read(TestData.PathOf("reference/input.npy"));
        var logits = NpyFile.Read(TestData.PathOf("reference/logits.npy"));
        var features = NpyFile.Read(TestData.PathOf("reference/features.npy"));
        using var model = PainAttnNetTests.LoadReferenceModel();

        var predictions = new Predictor(model, batchSize: 3).Predict(input.Data, includeFeatures: true);

        Assert.Equal(4, predictions.Count);
        var logitsDifference = MaxDifference(logits.Data, predictions.Logits);
        var featuresDifference = MaxDifference(features.Data, predictions.Features!);
        Assert.True(logitsDifference <= 1e-5f, $"logits differ from the reference by {logitsDifference:G3}.");
        Assert.True(featuresDifference <= 1e-5f, $"features differ from the reference by {featuresDifference:G3}.");
    }

    [Fact]
    public void Predict_Dataset_ProbabilitiesAreSoftmaxOfLogits()
    {
        var data = SyntheticWindows.SineAmplitude(windowsPerSubject: 5, subjects: 1, 1024, seed: 1);
        using var model = new PainAttnNet(new PainAttnNetConfig { WindowSamples = 1024 });

        var predictions = new Predictor(model, batchSize: 2).Predict(data);

        Assert.Null(predictions.Features);
        for (var i = 0; i < predictions.Count; i++)
        {
            var a = predictions.Logits[2 * i];
            var b = predictions.Logits[(2 * i) + 1];
            var expected = 1.0 / (1.0 + Math.Exp(b - a));
            Assert.Equal(expected, predictions.Probabilities[2 * i], 1e-6);
            Assert.Equal(1.0, predictions.Probabilities[2 * i] + predictions.Probabilities[(2 * i) + 1], 1e-6);
        }
    }

    [Fact]
    public void Predict_TrainingModel_RestoresTrainingMode()
    {
        using var model = new PainAttnNet(new PainAttnNetConfig { WindowSamples = 1024 });
        model.train();

        var first = new Predictor(model).Predict(new float[2 * 1024]);
        var second = new Predictor(model).Predict(new float[2 * 1024]);

        Assert.True(model.training, "the predictor left the model in eval mode.");
        Assert.Equal(first.Logits, second.Logits);
    }

    [Fact]
    public void Predict_PartialWindow_ThrowsWithSizes()
    {
        using var model = new PainAttnNet(new PainAttnNetConfig { WindowSamples = 1024 });

        var error = Assert.Throws<ArgumentException>(() => new Predictor(model).Predict(new float[1500]));

        Assert.Contains("1500 input values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictedLabels_TiedLogits_PicksLowestClass()
    {
        var predictions = new Predictions(2, 3, [0f, 2f, 2f, 5f, 1f, 0f], new float[6], null, 0);

        Assert.Equal([1, 0], predictions.PredictedLabels());
    }

    [Fact]
    public void CrossEntropy_KnownLogits_MatchesClosedForm()
    {
        var predictions = new Predictions(2, 2, [0f, 0f, 2f, 0f], new float[4], null, 0);

        var loss = predictions.CrossEntropy([1, 0]);

        var expected = (Math.Log(2) + Math.Log(1 + Math.Exp(-2))) / 2;
        Assert.Equal(expected, loss, 1e-9);
    }

    private static float MaxDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
    }
}
