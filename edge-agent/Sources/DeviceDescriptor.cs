namespace SsdEdge.EdgeAgent.Sources;

/// <summary>Identity and layout of the samples one device delivers.</summary>
/// <param name="DeviceId">Identifier of the device or replayed recording; pipelines are keyed by it.</param>
/// <param name="ChannelNames">Channels of each frame, in the model's contract order.</param>
/// <param name="SamplingRateHz">Rate at which the device samples every channel, in Hz.</param>
public sealed record DeviceDescriptor(
    string DeviceId,
    IReadOnlyList<string> ChannelNames,
    double SamplingRateHz)
{
    /// <summary>Number of channels in each frame.</summary>
    public int ChannelCount => ChannelNames.Count;
}
