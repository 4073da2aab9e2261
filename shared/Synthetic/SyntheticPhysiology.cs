using System.Globalization;
using SsdEdge.Signals;

namespace SsdEdge.Synthetic;

/// <summary>Generates a reproducible multi-subject synthetic physiology dataset.</summary>
public static class SyntheticPhysiology
{
    /// <summary>
    /// Generates one recording per subject, with stimulus onsets as events labelled <c>BL1</c> and
    /// <c>PA1</c> to <c>PA4</c> and carrying their intensity. The same options give bitwise the same
    /// samples.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IReadOnlyList<Recording> Generate(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var length = (int)Math.Round(options.DurationSeconds * options.SamplingRateHz);
        var recordings = new List<Recording>(options.SubjectCount);
        for (var s = 0; s < options.SubjectCount; s++)
        {
            var simulator = CreateSimulator(options, s);
            var events = new List<RecordingEvent>();
            var samples = simulator.NextBlock(length, events);
            var id = string.Create(
                CultureInfo.InvariantCulture,
                $"synthetic-{options.Seed}-{simulator.Profile.SubjectId}");
            recordings.Add(new Recording(id, simulator.Profile.SubjectId, simulator.Channels, samples, events));
        }

        return recordings;
    }

    /// <summary>
    /// Creates the live simulator of subject <paramref name="subjectIndex"/> (0-based); its stream
    /// starts with the samples that <see cref="Generate"/> returns for that subject.
    /// </summary>
    public static PhysiologySimulator CreateSimulator(SyntheticOptions options, int subjectIndex)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(subjectIndex);
        var profile = SubjectProfile.Draw(options.Seed, subjectIndex);
        var seed = Xoshiro256StarStar.DeriveSeed(options.Seed, (ulong)subjectIndex * 2 + 1);
        return new PhysiologySimulator(profile, options, seed);
    }
}
