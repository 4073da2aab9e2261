namespace SsdEdge.Signals;

/// <summary>Name, modality, unit and sampling rate of one channel.</summary>
/// <param name="Name">Channel name as the source or the model contract spells it, such as <c>eda</c>.</param>
/// <param name="Kind">Physiological modality.</param>
/// <param name="Unit">Physical unit of the samples, such as <c>uS</c>, <c>mV</c> or <c>adc</c>.</param>
/// <param name="SamplingRateHz">Nominal sampling rate in Hz.</param>
public sealed record ChannelSpec(string Name, ChannelKind Kind, string Unit, double SamplingRateHz);
