using System.Globalization;
using System.Runtime.CompilerServices;
using SsdEdge.Synthetic;

namespace SsdEdge.EdgeAgent.Sources.Simulator;

/// <summary>
/// Synthetic subjects streamed as devices <c>sim-01</c>, <c>sim-02</c>, ... at real time or a
/// multiple of it, each carrying the model's channels from <see cref="PhysiologySimulator"/>.
/// </summary>
/// <remarks>
/// Device <c>i</c> (from 0) is subject <c>i</c> of a synthetic dataset with seed
/// <see cref="SimulatorOptions.Seed"/>, so a device's signal depends only on the seed and its
/// index. Every device's sample counter starts at 0.
/// </remarks>
public sealed class SimulatedDevices
{
    private readonly SimulatorOptions _options;
    private readonly double _blockSeconds;
    private readonly int[] _columns;
    private readonly int _simulatorChannels;
    private readonly TimeProvider _timeProvider;
    private readonly string? _problem;

    /// <summary>Creates the devices.</summary>
    /// <param name="options">Device count, seed and speed.</param>
    /// <param name="channelNames">Channels of the model, in its order.</param>
    /// <param name="rateHz">Sampling rate of every device, in Hz (at least 50).</param>
    /// <param name="blockSeconds">Duration of the samples in one block, in seconds.</param>
    /// <param name="timeProvider">Clock that paces the stream.</param>
    /// <remarks>A channel the simulator does not produce or a rate below 50 Hz fails
    /// <see cref="StreamAsync"/>; <see cref="FindProblem"/> names it beforehand.</remarks>
    public SimulatedDevices(
        SimulatorOptions options,
        IReadOnlyList<string> channelNames,
        double rateHz,
        double blockSeconds,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(channelNames);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSeconds);
        var produced = ProducedChannels();
        _columns = channelNames
            .Select(wanted => produced.FindIndex(name => string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase)))
            .ToArray();
        _problem = FindProblem(channelNames, rateHz);

        _options = options;
        _simulatorChannels = produced.Count;
        _blockSeconds = blockSeconds;
        _timeProvider = timeProvider;
        RateHz = rateHz;
        Devices = Enumerable.Range(0, options.Devices ?? 0)
            .Select(i => new DeviceDescriptor(
                string.Create(CultureInfo.InvariantCulture, $"sim-{i + 1:D2}"), channelNames, rateHz))
            .ToList();
    }

    /// <summary>Lowest rate the simulator generates, in Hz.</summary>
    public const double MinRateHz = 50;

    /// <summary>Returns why the simulator cannot serve a model with <paramref name="channelNames"/>
    /// at <paramref name="rateHz"/>, or null when it can.</summary>
    public static string? FindProblem(IReadOnlyList<string> channelNames, double rateHz)
    {
        ArgumentNullException.ThrowIfNull(channelNames);
        var produced = ProducedChannels();
        var missing = channelNames
            .Where(wanted => !produced.Contains(wanted, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (missing.Count > 0)
        {
            return $"the model needs channel(s) {string.Join(", ", missing)}, which the simulator does not produce; "
                + $"it produces {string.Join(", ", produced)}";
        }

        return rateHz < MinRateHz
            ? string.Create(CultureInfo.InvariantCulture, $"the simulator generates at {MinRateHz} Hz or more, not {rateHz} Hz")
            : null;
    }

    /// <summary>The simulated devices.</summary>
    public IReadOnlyList<DeviceDescriptor> Devices { get; }

    /// <summary>Sampling rate of every device, in Hz.</summary>
    public double RateHz { get; }

    /// <summary>Multiple of real time the stream runs at.</summary>
    public double Speed => _options.Speed;

    /// <summary>Yields one block per device every block duration (divided by the speed), without
    /// end, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<SampleBlock> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_problem is not null)
        {
            throw new InvalidOperationException($"The simulator cannot run: {_problem}.");
        }

        var synthetic = new SyntheticOptions
        {
            Seed = _options.Seed,
            SubjectCount = Math.Max(1, Devices.Count),
            SamplingRateHz = RateHz,
        };
        var simulators = Enumerable.Range(0, Devices.Count)
            .Select(i => SyntheticPhysiology.CreateSimulator(synthetic, i))
            .ToArray();
        var blockFrames = Math.Max(1, (int)Math.Round(_blockSeconds * RateHz));
        var generated = new float[blockFrames * _simulatorChannels];
        var start = _timeProvider.GetTimestamp();
        for (long first = 0; ; first += blockFrames)
        {
            // Release each block once its last sample would have been measured.
            var due = TimeSpan.FromSeconds((first + blockFrames) / RateHz / _options.Speed);
            var wait = due - _timeProvider.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _timeProvider, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            for (var d = 0; d < simulators.Length; d++)
            {
                simulators[d].NextBlock(generated);
                var frames = new float[blockFrames * _columns.Length];
                for (var t = 0; t < blockFrames; t++)
                {
                    for (var c = 0; c < _columns.Length; c++)
                    {
                        frames[(t * _columns.Length) + c] = generated[(t * _simulatorChannels) + _columns[c]];
                    }
                }

                yield return new SampleBlock(Devices[d], first, frames);
            }
        }
    }

    private static List<string> ProducedChannels() =>
        PhysiologySimulator.ChannelsAt(MinRateHz).Select(channel => channel.Name).ToList();
}
