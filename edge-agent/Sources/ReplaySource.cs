using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using SsdEdge.Datasets;
using SsdEdge.Signals;

namespace SsdEdge.EdgeAgent.Sources;

/// <summary>
/// Replays recorded files as if their devices were streaming: every recording becomes one device,
/// its channels are picked by name in model order, and blocks are released at a chosen multiple of
/// real time.
/// </summary>
/// <remarks>
/// Recordings play one after another, each with its own clock starting at its first sample. The
/// device id of a recording is its <see cref="Recording.Id"/>. Every recording is checked for the
/// model's channels before the first block is released, so a bad file fails fast.
/// </remarks>
public sealed class ReplaySource : ISampleSource
{
    /// <summary>Skipped rows that are logged one by one; later ones are only counted.</summary>
    private const int MaxRowProblemsLogged = 10;

    private readonly Func<IReadOnlyList<Recording>> _loadRecordings;
    private readonly IReadOnlyList<string> _channelNames;
    private readonly ReplayPacing _pacing;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a source that reads <paramref name="source"/> with
    /// <see cref="RecordingFiles.Read"/> when replay starts.</summary>
    /// <param name="source">A recording source such as <c>fmov:FILE</c> or <c>csv:FILE</c>.</param>
    /// <param name="channelNames">Channels to deliver, in model order; matched ignoring case.</param>
    /// <param name="pacing">Replay speed and block length.</param>
    /// <param name="timeProvider">Clock used to pace the replay.</param>
    /// <param name="logger">Receives the read and replay progress.</param>
    public ReplaySource(
        string source,
        IReadOnlyList<string> channelNames,
        ReplayPacing pacing,
        TimeProvider timeProvider,
        ILogger<ReplaySource> logger)
        : this(source, () => ReadRecordings(source, logger), channelNames, pacing, timeProvider, logger)
    {
    }

    /// <summary>Creates a source over recordings already in memory.</summary>
    /// <param name="description">Name of the recordings for logs and error messages.</param>
    /// <param name="recordings">Recordings to replay, in order.</param>
    /// <param name="channelNames">Channels to deliver, in model order; matched ignoring case.</param>
    /// <param name="pacing">Replay speed and block length.</param>
    /// <param name="timeProvider">Clock used to pace the replay.</param>
    /// <param name="logger">Receives the replay progress.</param>
    public ReplaySource(
        string description,
        IReadOnlyList<Recording> recordings,
        IReadOnlyList<string> channelNames,
        ReplayPacing pacing,
        TimeProvider timeProvider,
        ILogger<ReplaySource> logger)
        : this(description, () => recordings, channelNames, pacing, timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(recordings);
    }

    private ReplaySource(
        string description,
        Func<IReadOnlyList<Recording>> loadRecordings,
        IReadOnlyList<string> channelNames,
        ReplayPacing pacing,
        TimeProvider timeProvider,
        ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(channelNames);
        ArgumentNullException.ThrowIfNull(pacing);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        if (channelNames.Count == 0)
        {
            throw new ArgumentException("At least one channel name is needed.", nameof(channelNames));
        }

        Description = description;
        _loadRecordings = loadRecordings;
        _channelNames = channelNames;
        _pacing = pacing;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    /// <remarks>A replay's arrival times follow the chosen speed, not the device.</remarks>
    public bool IsLive => false;

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The source contains no recording, a recording lacks a
    /// channel of the model, or its sampling rate is not a positive number.</exception>
    /// <exception cref="DataFormatException">A file cannot be read.</exception>
    public async IAsyncEnumerable<SampleBlock> ReadAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var recordings = _loadRecordings();
        if (recordings.Count == 0)
        {
            throw new InvalidDataException($"Replay source '{Description}' contains no recordings.");
        }

        var plans = recordings.Select(PlanReplay).ToList();
        foreach (var plan in plans)
        {
            await foreach (var block in ReplayAsync(plan, cancellationToken))
            {
                yield return block;
            }
        }
    }

    private static IReadOnlyList<Recording> ReadRecordings(string source, ILogger logger)
    {
        var result = RecordingFiles.Read(source);
        Log.ReplayOpened(logger, source, result.Recordings.Count, result.Problems.Count);
        foreach (var problem in result.Problems.Take(MaxRowProblemsLogged))
        {
            Log.ReplayRowSkipped(logger, problem.Path, problem.Line, problem.Message);
        }

        if (result.Problems.Count > MaxRowProblemsLogged)
        {
            Log.ReplayRowsSkippedNotLogged(logger, result.Problems.Count - MaxRowProblemsLogged);
        }

        return result.Recordings;
    }

    private ReplayPlan PlanReplay(Recording recording)
    {
        var rate = recording.SamplingRateHz;
        if (!double.IsFinite(rate) || rate <= 0)
        {
            throw new InvalidDataException(
                $"Replay source '{Description}', recording '{recording.Id}': sampling rate {rate} Hz is not "
                + "a positive number.");
        }

        var columns = new int[_channelNames.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = FindChannel(recording, _channelNames[c]);
        }

        var device = new DeviceDescriptor(recording.Id, _channelNames, rate);
        var blockFrames = Math.Max(1, (int)Math.Round(_pacing.BlockSeconds * rate));
        return new ReplayPlan(recording, device, columns, blockFrames);
    }

    private int FindChannel(Recording recording, string name)
    {
        for (var c = 0; c < recording.Channels.Count; c++)
        {
            if (string.Equals(recording.Channels[c].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        var available = string.Join(", ", recording.Channels.Select(channel => channel.Name));
        throw new InvalidDataException(
            $"Replay source '{Description}', recording '{recording.Id}': the model needs channel '{name}', "
            + $"which the recording lacks; its channels are: {available}. Model channels: "
            + $"{string.Join(", ", _channelNames)}.");
    }

    private async IAsyncEnumerable<SampleBlock> ReplayAsync(
        ReplayPlan plan,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var recording = plan.Recording;
        var channelCount = plan.Columns.Length;
        var rate = plan.Device.SamplingRateHz;
        Log.ReplayRecordingStarted(_logger, recording.Id, rate, recording.Length, recording.DurationSeconds);

        var start = _timeProvider.GetTimestamp();
        for (var first = 0; first < recording.Length; first += plan.BlockFrames)
        {
            var count = Math.Min(plan.BlockFrames, recording.Length - first);

            // Release the block once its last sample would have arrived at the chosen speed.
            if (_pacing.Speed > 0)
            {
                var due = TimeSpan.FromSeconds((first + count) / rate / _pacing.Speed);
                var wait = due - _timeProvider.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _timeProvider, cancellationToken);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var frames = new float[count * channelCount];
            for (var c = 0; c < channelCount; c++)
            {
                var samples = recording.Samples[plan.Columns[c]];
                for (var f = 0; f < count; f++)
                {
                    frames[(f * channelCount) + c] = samples[first + f];
                }
            }

            yield return new SampleBlock(plan.Device, first, frames);
        }
    }

    private sealed record ReplayPlan(Recording Recording, DeviceDescriptor Device, int[] Columns, int BlockFrames);
}
