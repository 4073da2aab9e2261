using BenchmarkDotNet.Attributes;
using SsdEdge.Dsp;

namespace SsdEdge.Benchmarks;

/// <summary>Ring buffer, resampler and zero-phase filters on one window of seeded noise and sines.</summary>
[MemoryDiagnoser]
public class DspBenchmarks
{
    private const int Channels = 4;
    private const int HopFrames = 512;
    private const int WindowSamples = 2816;

    private readonly MultiChannelRingBuffer _ring = new(Channels, WindowSamples);
    private readonly float[] _hopFrames = new float[HopFrames * Channels];
    private readonly float[] _channelMajor = new float[WindowSamples * Channels];

    // 1000 Hz to 512 Hz is a 64/125 polyphase ratio, as for recordings made at 1 kHz.
    private readonly RationalResampler _resampler = new(1000, 512);
    private readonly float[] _window1000Hz = new float[5500];
    private readonly float[] _resampled = new float[2816];

    private readonly SosFilter _lowPass = ButterworthDesign.LowPass(4, 5.0, 512);
    private readonly SosFilter _bandPass = ButterworthDesign.BandPass(4, 20, 250, 1000);
    private readonly float[] _window = new float[WindowSamples];

    /// <summary>Fills the buffers with seeded noise and sines.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < _hopFrames.Length; i++)
        {
            _hopFrames[i] = (float)random.NextDouble();
        }

        for (var i = 0; i < _window1000Hz.Length; i++)
        {
            _window1000Hz[i] = (float)Math.Sin(i * 0.01) + (float)random.NextDouble();
        }

        for (var i = 0; i < _window.Length; i++)
        {
            _window[i] = 5 + (float)Math.Sin(i * 0.003) + (0.1f * (float)random.NextDouble());
        }

        for (var i = 0; i < 6; i++)
        {
            _ring.WriteInterleaved(_hopFrames);
        }
    }

    /// <summary>Appends one hop of 4-channel frames (1 s at 512 Hz).</summary>
    [Benchmark]
    public void RingAppendHop() => _ring.WriteInterleaved(_hopFrames);

    /// <summary>Copies the latest 5.5 s window out channel-major.</summary>
    [Benchmark]
    public void RingCopyWindow() => _ring.CopyLatestChannelMajor(_channelMajor);

    /// <summary>Resamples a 5.5 s window from 1000 Hz to 512 Hz.</summary>
    [Benchmark]
    public void Resample1000To512() => _resampler.Resample(_window1000Hz, _resampled);

    /// <summary>4th-order Butterworth low-pass, forward and backward, over a 5.5 s window at 512 Hz.</summary>
    [Benchmark]
    public void LowPassFilterWindow() => _lowPass.FilterWindow(_window, _window);

    /// <summary>4th-order Butterworth band-pass (8 sections), forward and backward, over 2816 samples.</summary>
    [Benchmark]
    public void BandPassFilterWindow() => _bandPass.FilterWindow(_window, _window);
}
