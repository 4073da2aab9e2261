using SsdEdge.Signals;
using SsdEdge.Synthetic;
using Xunit;

namespace SsdEdge.Tests.Synthetic;

public sealed class SyntheticPhysiologyTests
{
    private static readonly SyntheticOptions Small = new()
    {
        Seed = 42,
        SubjectCount = 3,
        SamplingRateHz = 128,
        DurationSeconds = 120,
    };

    [Fact]
    public void Generate_SameSeed_GivesBitwiseSameSamples()
    {
        var first = SyntheticPhysiology.Generate(Small);
        var second = SyntheticPhysiology.Generate(Small);

        for (var r = 0; r < first.Count; r++)
        {
            for (var c = 0; c < first[r].Channels.Count; c++)
            {
                Assert.Equal(first[r].Samples[c], second[r].Samples[c]);
            }

            Assert.Equal(first[r].Events, second[r].Events);
        }
    }

    [Fact]
    public void Generate_OtherSeed_GivesOtherSamples()
    {
        var first = SyntheticPhysiology.Generate(Small);
        var second = SyntheticPhysiology.Generate(Small with { Seed = 43 });

        Assert.NotEqual(first[0].Samples[0], second[0].Samples[0]);
    }

    [Fact]
    public void Generate_KnownSeed_MatchesRecordedValues()
    {
        var recording = SyntheticPhysiology.Generate(Small with { SubjectCount = 1 })[0];

        // Pins the generator so that a change of its sequence is noticed; update only on purpose.
        Assert.Equal(SyntheticGolden.FirstEda, recording.Samples[0][0]);
        Assert.Equal(SyntheticGolden.EventCount, recording.Events.Count);
    }

    [Fact]
    public void Generate_ShapesAndUnits_AreAsDocumented()
    {
        var recordings = SyntheticPhysiology.Generate(Small);

        Assert.Equal(3, recordings.Count);
        Assert.Equal(["synth01", "synth02", "synth03"], recordings.Select(r => r.SubjectId));
        var recording = recordings[0];
        Assert.Equal(128 * 120, recording.Length);
        Assert.Equal(
            ["eda", "ecg", "emg_trapezius", "emg_corrugator", "emg_zygomaticus"],
            recording.Channels.Select(c => c.Name));
        Assert.Equal(["uS", "mV", "mV", "mV", "mV"], recording.Channels.Select(c => c.Unit));
        Assert.All(recording.Samples, channel => Assert.All(channel, v => Assert.True(float.IsFinite(v))));
        Assert.InRange(recording.Samples[0].Min(), 0.05f, 30f);
    }

    [Fact]
    public void Generate_Events_HaveIntensityLabelsAndJitteredSpacing()
    {
        var recording = SyntheticPhysiology.Generate(Small with { DurationSeconds = 600 })[0];

        Assert.All(recording.Events, e => Assert.Equal(PhysiologySimulator.IntensityLabels[(int)e.Intensity], e.Label));
        var gaps = recording.Events
            .Zip(recording.Events.Skip(1), (a, b) => (b.SampleIndex - a.SampleIndex) / 128.0)
            .ToList();
        Assert.All(gaps, gap => Assert.InRange(gap, 17.0 - 0.01, 23.0 + 0.01));
        Assert.True(gaps.Distinct().Count() > 1);
        Assert.Equal(5, recording.Events.Select(e => e.Intensity).Distinct().Count());
    }

    [Fact]
    public void Generate_HighIntensity_GivesLargerScrThanBaseline()
    {
        var options = Small with { SubjectCount = 8, DurationSeconds = 600 };
        var recordings = SyntheticPhysiology.Generate(options);
        var byIntensity = new List<double>[5];
        for (var i = 0; i < 5; i++)
        {
            byIntensity[i] = [];
        }

        foreach (var recording in recordings)
        {
            foreach (var onset in recording.Events)
            {
                if (ScrAmplitude(recording, onset) is { } amplitude)
                {
                    byIntensity[(int)onset.Intensity].Add(amplitude);
                }
            }
        }

        Assert.True(byIntensity[0].Count >= 30, $"only {byIntensity[0].Count} baseline stimuli");
        Assert.True(byIntensity[4].Count >= 30, $"only {byIntensity[4].Count} intensity-4 stimuli");
        var baseline = byIntensity[0].Average();
        var highest = byIntensity[4].Average();
        Assert.True(highest > 2 * baseline, $"mean SCR {highest:F3} uS at intensity 4, {baseline:F3} uS at 0");
        Assert.True(byIntensity[2].Average() > baseline, "intensity 2 should exceed baseline");
    }

    [Fact]
    public void Generate_HeartRate_IsNearSubjectProfile()
    {
        var recording = SyntheticPhysiology.Generate(Small with { SubjectCount = 1 })[0];
        var profile = SubjectProfile.Draw(Small.Seed, 0);

        var ecg = recording.Samples[1];
        var threshold = 0.6f;
        var peaks = 0;
        for (var t = 1; t < ecg.Length; t++)
        {
            if (ecg[t - 1] < threshold && ecg[t] >= threshold)
            {
                peaks++;
            }
        }

        var beatsPerMinute = peaks / recording.DurationSeconds * 60;
        Assert.InRange(beatsPerMinute, profile.HeartRateBpm - 10, profile.HeartRateBpm + 15);
    }

    /// <summary>Rise of EDA from onset to its maximum 1 to 6 s later, in µS.</summary>
    private static double? ScrAmplitude(Recording recording, RecordingEvent onset)
    {
        var rate = recording.SamplingRateHz;
        var eda = recording.Samples[0];
        var end = onset.SampleIndex + (long)(6 * rate);
        if (end > eda.Length)
        {
            return null;
        }

        var start = eda[onset.SampleIndex];
        var peak = float.MinValue;
        for (var t = onset.SampleIndex + (long)rate; t < end; t++)
        {
            peak = Math.Max(peak, eda[t]);
        }

        return Math.Max(0, peak - start);
    }
}
