namespace SsdEdge.EdgeAgent.Sources;

/// <summary>How fast a replay runs and how many samples each block carries.</summary>
public sealed record ReplayPacing
{
    /// <summary>Creates pacing settings.</summary>
    /// <param name="speed">Multiple of real time (2 plays twice as fast); 0 plays as fast as possible.</param>
    /// <param name="blockSeconds">Duration of the samples in one block, in seconds.</param>
    /// <exception cref="ArgumentOutOfRangeException">The speed is negative or not finite, or the block
    /// duration is not a positive finite number.</exception>
    public ReplayPacing(double speed, double blockSeconds)
    {
        if (!double.IsFinite(speed) || speed < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(speed),
                speed,
                "The replay speed must be 0 (as fast as possible) or a positive multiple of real time.");
        }

        if (!double.IsFinite(blockSeconds) || blockSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(blockSeconds),
                blockSeconds,
                "The block duration must be a positive number of seconds.");
        }

        Speed = speed;
        BlockSeconds = blockSeconds;
    }

    /// <summary>Multiple of real time; 0 means no waiting between blocks.</summary>
    public double Speed { get; }

    /// <summary>Duration of the samples in one block, in seconds.</summary>
    public double BlockSeconds { get; }
}
