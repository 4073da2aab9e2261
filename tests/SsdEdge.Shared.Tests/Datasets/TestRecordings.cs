using SsdEdge.Signals;

namespace SsdEdge.Tests.Datasets;

/// <summary>Small in-memory recordings whose values encode channel and sample index.</summary>
internal static class TestRecordings
{
    /// <summary>Channel <c>c</c> contains <c>1000 * c + t</c> at sample <c>t</c>.</summary>
    public static Recording Ramp(
        string id,
        string[] channels,
        int length,
        double rateHz,
        IReadOnlyList<RecordingEvent>? events = null,
        string? label = null)
    {
        var specs = channels.Select(name => new ChannelSpec(name, ChannelKind.Other, "a.u.", rateHz)).ToList();
        var samples = new float[channels.Length][];
        for (var c = 0; c < channels.Length; c++)
        {
            samples[c] = Enumerable.Range(0, length).Select(t => 1000f * c + t).ToArray();
        }

        return new Recording(id, "subject-" + id, specs, samples, events, label);
    }
}
