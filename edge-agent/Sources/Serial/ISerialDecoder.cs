namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>Turns the bytes of one serial device, in chunks of any size, into numbered frames.</summary>
/// <remarks>Not thread-safe: one reader thread feeds one decoder.</remarks>
public interface ISerialDecoder
{
    /// <summary>Decodes <paramref name="bytes"/>, the next bytes of the stream, and appends every
    /// frame they complete to <paramref name="output"/>. Bytes of an incomplete line or packet are
    /// kept for the next call.</summary>
    void Decode(ReadOnlySpan<byte> bytes, DecodedFrames output);

    /// <summary>
    /// Prepares for a reopened port: drops the bytes kept from before, and expects the device to have
    /// sent about <paramref name="estimatedMissingSamples"/> samples that never arrived.
    /// </summary>
    /// <param name="estimatedMissingSamples">Outage duration times the nominal rate; 0 at the first
    /// open.</param>
    void Resynchronize(long estimatedMissingSamples);
}
