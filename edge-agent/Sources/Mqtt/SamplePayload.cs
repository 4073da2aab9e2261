namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>Samples decoded from one MQTT message.</summary>
/// <param name="FirstSample">Device counter of the first frame (<c>seq</c>).</param>
/// <param name="RateHz">Sampling rate of the device, in Hz.</param>
/// <param name="Frames">Samples interleaved by frame in the model's channel order.</param>
/// <param name="NonFiniteSamples">Samples that were null, NaN or infinite; they are NaN in
/// <paramref name="Frames"/>, so the quality gate rejects every window that holds one.</param>
public sealed record SamplePayload(long FirstSample, double RateHz, float[] Frames, int NonFiniteSamples);
