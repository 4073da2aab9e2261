using System.Globalization;

namespace SsdEdge.Synthetic;

/// <summary>Physiological traits of one synthetic subject.</summary>
/// <param name="SubjectId">Subject id, such as <c>synth01</c>.</param>
/// <param name="TonicEdaMicrosiemens">Resting skin-conductance level, in µS.</param>
/// <param name="HeartRateBpm">Resting heart rate, in beats per minute.</param>
/// <param name="EmgToneMillivolts">Resting EMG amplitude (standard deviation), in mV.</param>
/// <param name="Responsiveness">Factor on the size of every stimulus response (1 is typical).</param>
public sealed record SubjectProfile(
    string SubjectId,
    double TonicEdaMicrosiemens,
    double HeartRateBpm,
    double EmgToneMillivolts,
    double Responsiveness)
{
    /// <summary>Draws the profile of subject <paramref name="index"/> (0-based) from a dataset seed.</summary>
    public static SubjectProfile Draw(ulong seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var random = new Xoshiro256StarStar(Xoshiro256StarStar.DeriveSeed(seed, (ulong)index * 2));
        return new SubjectProfile(
            string.Create(CultureInfo.InvariantCulture, $"synth{index + 1:D2}"),
            TonicEdaMicrosiemens: random.Uniform(2.0, 12.0),
            HeartRateBpm: random.Uniform(58.0, 82.0),
            EmgToneMillivolts: random.Uniform(0.004, 0.015),
            Responsiveness: random.Uniform(0.6, 1.4));
    }
}
