using SsdEdge.Signals;

namespace SsdEdge.Synthetic;

/// <summary>
/// Generates the signals of one synthetic subject sample by sample: EDA in µS, ECG in mV and
/// trapezius, corrugator and zygomaticus EMG in mV, with heat stimuli of graded intensity 0 to 4.
/// </summary>
/// <remarks>
/// <para>Each stimulus may evoke, with a probability and a size that grow with its intensity and
/// with the subject's responsiveness: a phasic skin-conductance response starting 1 to 3 s after
/// onset, a heart-rate rise peaking about 5 s after onset, and corrugator and trapezius EMG bursts
/// during the heat plateau. Intensity 0 (label <c>BL1</c>) is a baseline period without heat;
/// intensities 1 to 4 are labelled <c>PA1</c> to <c>PA4</c> as in BioVid Part A.</para>
/// <para>The output depends only on the seed and the options, never on how the stream is cut
/// into blocks. Not thread-safe.</para>
/// </remarks>
public sealed class PhysiologySimulator
{
    /// <summary>Event label of each intensity, indexed by intensity.</summary>
    public static readonly IReadOnlyList<string> IntensityLabels = ["BL1", "PA1", "PA2", "PA3", "PA4"];

    /// <summary>Highest stimulus intensity.</summary>
    public const int MaxIntensity = 4;

    // Skin-conductance response shape: bi-exponential with these rise and decay time constants.
    private const double ScrRiseSeconds = 0.7;
    private const double ScrDecaySeconds = 3.0;

    // Non-specific (spontaneous) skin-conductance responses per minute.
    private const double SpontaneousScrPerMinute = 2.0;

    private readonly SubjectProfile _profile;
    private readonly SyntheticOptions _options;
    private readonly Xoshiro256StarStar _random;
    private readonly double _sampleSeconds;
    private readonly double _scrPeakNorm;
    private readonly List<Response> _responses = [];
    private readonly int[] _intensityBlock = [0, 1, 2, 3, 4];
    private int _blockPosition = 5;
    private long _nextOnset;
    private double _edaDrift;
    private double _heartRateDrift;
    private double _secondsInBeat;
    private double _beatPeriodSeconds;
    private double _beatAmplitude = 1.0;

    /// <summary>Creates a simulator for one subject.</summary>
    /// <param name="profile">Traits of the subject.</param>
    /// <param name="options">Rate and stimulus timing (the duration is not used by a stream).</param>
    /// <param name="seed">Seed of this subject's signal stream.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public PhysiologySimulator(SubjectProfile profile, SyntheticOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        _profile = profile;
        _options = options;
        _random = new Xoshiro256StarStar(seed);
        _sampleSeconds = 1.0 / options.SamplingRateHz;
        var peakSeconds = Math.Log(ScrDecaySeconds / ScrRiseSeconds) * ScrRiseSeconds * ScrDecaySeconds
            / (ScrDecaySeconds - ScrRiseSeconds);
        _scrPeakNorm = 1.0 / (Math.Exp(-peakSeconds / ScrDecaySeconds) - Math.Exp(-peakSeconds / ScrRiseSeconds));
        _nextOnset = (long)Math.Round(options.FirstStimulusSeconds * options.SamplingRateHz);
        _beatPeriodSeconds = 60.0 / profile.HeartRateBpm;
        _secondsInBeat = _random.Uniform(0, _beatPeriodSeconds);
        Channels = ChannelsAt(options.SamplingRateHz);
    }

    /// <summary>Channels in output order: eda, ecg, emg_trapezius, emg_corrugator, emg_zygomaticus.</summary>
    public IReadOnlyList<ChannelSpec> Channels { get; }

    /// <summary>Subject whose signals this simulator generates.</summary>
    public SubjectProfile Profile => _profile;

    /// <summary>Samples per channel generated so far.</summary>
    public long SamplesGenerated { get; private set; }

    /// <summary>Returns the channel list of synthetic recordings at <paramref name="samplingRateHz"/>.</summary>
    public static IReadOnlyList<ChannelSpec> ChannelsAt(double samplingRateHz) =>
    [
        new("eda", ChannelKind.Eda, "uS", samplingRateHz),
        new("ecg", ChannelKind.Ecg, "mV", samplingRateHz),
        new("emg_trapezius", ChannelKind.Emg, "mV", samplingRateHz),
        new("emg_corrugator", ChannelKind.Emg, "mV", samplingRateHz),
        new("emg_zygomaticus", ChannelKind.Emg, "mV", samplingRateHz),
    ];

    /// <summary>
    /// Fills <paramref name="frames"/> with the next samples, interleaved by sample
    /// (t0 eda, t0 ecg, ..., t1 eda, ...), and appends the stimulus onsets among them to
    /// <paramref name="onsets"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a multiple of the channel count.</exception>
    public void NextBlock(Span<float> frames, List<RecordingEvent>? onsets = null)
    {
        var channelCount = Channels.Count;
        if (frames.Length % channelCount != 0)
        {
            throw new ArgumentException(
                $"Frame buffer of {frames.Length} values is not a multiple of {channelCount} channels.",
                nameof(frames));
        }

        Span<float> sample = stackalloc float[channelCount];
        for (var offset = 0; offset < frames.Length; offset += channelCount)
        {
            NextSample(sample, onsets);
            sample.CopyTo(frames[offset..]);
        }
    }

    /// <summary>
    /// Returns the next <paramref name="count"/> samples as one array per channel and appends the
    /// stimulus onsets among them to <paramref name="onsets"/>.
    /// </summary>
    public float[][] NextBlock(int count, List<RecordingEvent>? onsets = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var arrays = new float[Channels.Count][];
        for (var c = 0; c < arrays.Length; c++)
        {
            arrays[c] = new float[count];
        }

        Span<float> sample = stackalloc float[Channels.Count];
        for (var t = 0; t < count; t++)
        {
            NextSample(sample, onsets);
            for (var c = 0; c < arrays.Length; c++)
            {
                arrays[c][t] = sample[c];
            }
        }

        return arrays;
    }

    private void NextSample(Span<float> sample, List<RecordingEvent>? onsets)
    {
        var now = SamplesGenerated;
        if (now == _nextOnset)
        {
            StartStimulus(now, onsets);
        }

        if (_random.Chance(SpontaneousScrPerMinute / 60.0 * _sampleSeconds))
        {
            var amplitude = _random.Uniform(0.02, 0.15) * _profile.Responsiveness;
            _responses.Add(new Response(ResponseKind.Scr, now, now + SecondsToSamples(30), amplitude));
        }

        var scr = 0.0;
        var heartRateRise = 0.0;
        var trapeziusBurst = 0.0;
        var corrugatorBurst = 0.0;
        for (var i = _responses.Count - 1; i >= 0; i--)
        {
            var response = _responses[i];
            if (now >= response.End)
            {
                _responses.RemoveAt(i);
                continue;
            }

            if (now < response.Start)
            {
                continue;
            }

            var seconds = (now - response.Start) * _sampleSeconds;
            switch (response.Kind)
            {
                case ResponseKind.Scr:
                    scr += response.Amplitude * _scrPeakNorm
                        * (Math.Exp(-seconds / ScrDecaySeconds) - Math.Exp(-seconds / ScrRiseSeconds));
                    break;
                case ResponseKind.HeartRate:
                    heartRateRise += response.Amplitude * Math.Exp(-Square(seconds - 5.0) / (2 * Square(2.5)));
                    break;
                case ResponseKind.Trapezius:
                    trapeziusBurst += response.Amplitude * Math.Min(1.0, seconds / 0.3);
                    break;
                case ResponseKind.Corrugator:
                    corrugatorBurst += response.Amplitude * Math.Min(1.0, seconds / 0.3);
                    break;
            }
        }

        // Slow drifts are Ornstein-Uhlenbeck processes with time constants of 60 s (EDA) and 30 s (HR).
        _edaDrift += -_edaDrift * _sampleSeconds / 60.0 + 0.04 * Math.Sqrt(_sampleSeconds) * _random.NextGaussian();
        _heartRateDrift += -_heartRateDrift * _sampleSeconds / 30.0
            + 0.6 * Math.Sqrt(_sampleSeconds) * _random.NextGaussian();
        var timeSeconds = now * _sampleSeconds;
        var eda = Math.Max(0.05, _profile.TonicEdaMicrosiemens + _edaDrift + scr) + 0.003 * _random.NextGaussian();

        // Respiratory sinus arrhythmia at 0.25 Hz, 2 bpm deep.
        var heartRate = _profile.HeartRateBpm + _heartRateDrift + heartRateRise
            + 2.0 * Math.Sin(2 * Math.PI * 0.25 * timeSeconds);
        var ecg = NextEcg(heartRate, timeSeconds);

        var tone = _profile.EmgToneMillivolts;
        sample[0] = (float)eda;
        sample[1] = (float)ecg;
        sample[2] = (float)((1.2 * tone + trapeziusBurst) * _random.NextGaussian());
        sample[3] = (float)((tone + corrugatorBurst) * _random.NextGaussian());
        sample[4] = (float)(0.8 * tone * _random.NextGaussian());
        SamplesGenerated = now + 1;
    }

    private double NextEcg(double heartRateBpm, double timeSeconds)
    {
        _secondsInBeat += _sampleSeconds;
        if (_secondsInBeat >= _beatPeriodSeconds)
        {
            _secondsInBeat -= _beatPeriodSeconds;
            var period = 60.0 / Math.Clamp(heartRateBpm, 35.0, 180.0);
            _beatPeriodSeconds = period * (1.0 + 0.015 * _random.NextGaussian());
            _beatAmplitude = 1.0 + 0.03 * _random.NextGaussian();
        }

        // PQRST as a sum of Gaussians placed in seconds after the beat start; the T wave moves with
        // the square root of the beat period, as the QT interval does.
        var s = _secondsInBeat;
        var wave = 0.12 * Gauss(s, 0.10, 0.025)
            - 0.10 * Gauss(s, 0.205, 0.010)
            + 1.00 * Gauss(s, 0.230, 0.010)
            - 0.22 * Gauss(s, 0.258, 0.012)
            + 0.30 * Gauss(s, 0.23 + 0.24 * Math.Sqrt(_beatPeriodSeconds), 0.045);
        var wander = 0.05 * Math.Sin(2 * Math.PI * 0.25 * timeSeconds + 0.7);
        return _beatAmplitude * wave + wander + 0.01 * _random.NextGaussian();
    }

    private void StartStimulus(long onset, List<RecordingEvent>? onsets)
    {
        var intensity = NextIntensity();
        onsets?.Add(new RecordingEvent(onset, IntensityLabels[intensity], intensity));
        var responsiveness = _profile.Responsiveness;
        var plateauEnd = onset + SecondsToSamples(_options.StimulusSeconds + 0.5);

        if (_random.Chance(0.1 + 0.2 * intensity))
        {
            var start = onset + SecondsToSamples(_random.Uniform(1.0, 3.0));
            var amplitude = responsiveness * (0.05 + 0.25 * intensity) * Math.Exp(0.3 * _random.NextGaussian());
            _responses.Add(new Response(ResponseKind.Scr, start, start + SecondsToSamples(30), amplitude));
        }

        if (_random.Chance(0.2 + 0.2 * intensity))
        {
            var amplitude = responsiveness * (0.5 + 1.5 * intensity) * Math.Max(0, 1 + 0.3 * _random.NextGaussian());
            var start = onset + SecondsToSamples(0.5);
            _responses.Add(new Response(ResponseKind.HeartRate, start, start + SecondsToSamples(15), amplitude));
        }

        if (_random.Chance(0.05 + 0.22 * intensity))
        {
            var start = onset + SecondsToSamples(_random.Uniform(0.3, 1.0));
            var amplitude = _profile.EmgToneMillivolts * responsiveness * (1 + 1.5 * intensity);
            _responses.Add(new Response(ResponseKind.Corrugator, start, plateauEnd, amplitude));
        }

        if (_random.Chance(0.03 + 0.18 * intensity))
        {
            var start = onset + SecondsToSamples(_random.Uniform(0.5, 1.5));
            var amplitude = _profile.EmgToneMillivolts * responsiveness * (0.5 + 1.0 * intensity);
            _responses.Add(new Response(ResponseKind.Trapezius, start, plateauEnd, amplitude));
        }

        var interval = _options.StimulusIntervalSeconds
            + _random.Uniform(-_options.IntervalJitterSeconds, _options.IntervalJitterSeconds);
        _nextOnset = onset + SecondsToSamples(interval);
    }

    /// <summary>Draws intensities in shuffled blocks of all five levels, so classes stay balanced.</summary>
    private int NextIntensity()
    {
        if (_blockPosition == _intensityBlock.Length)
        {
            for (var i = _intensityBlock.Length - 1; i > 0; i--)
            {
                var j = _random.NextInt(i + 1);
                (_intensityBlock[i], _intensityBlock[j]) = (_intensityBlock[j], _intensityBlock[i]);
            }

            _blockPosition = 0;
        }

        return _intensityBlock[_blockPosition++];
    }

    private long SecondsToSamples(double seconds) => (long)Math.Round(seconds * _options.SamplingRateHz);

    private static double Gauss(double x, double centre, double width) =>
        Math.Exp(-Square(x - centre) / (2 * width * width));

    private static double Square(double x) => x * x;

    private enum ResponseKind
    {
        Scr,
        HeartRate,
        Trapezius,
        Corrugator,
    }

    private readonly record struct Response(ResponseKind Kind, long Start, long End, double Amplitude);
}
