using SsdEdge.Datasets;

namespace SsdEdge.Trainer.Tests.Training;

/// <summary>
/// Small two-class problems for training tests: class 1 windows carry a sine three times the
/// amplitude of class 0 windows, both with Gaussian noise.
/// </summary>
internal static class SyntheticWindows
{
    public static WindowDataset SineAmplitude(int windowsPerSubject, int subjects, int samples, int seed)
    {
        var random = new Random(seed);
        var count = windowsPerSubject * subjects;
        var inputs = new float[count * samples];
        var labels = new int[count];
        var subjectIds = new string[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            subjectIds[i] = $"S{i / windowsPerSubject:D2}";
            var amplitude = labels[i] == 1 ? 1.5 : 0.5;
            var phase = random.NextDouble() * 2 * Math.PI;
            var period = 40 + (random.NextDouble() * 40);
            for (var t = 0; t < samples; t++)
            {
                var noise = Gaussian(random) * 0.3;
                inputs[(i * samples) + t] = (float)((amplitude * Math.Sin((2 * Math.PI * t / period) + phase)) + noise);
            }
        }

        return new WindowDataset(inputs, 1, samples, labels, subjectIds, ["low", "high"]);
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
