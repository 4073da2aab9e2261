namespace SsdEdge.Trainer.Training;

/// <summary>
/// Seeds of one epoch's batch order and dropout masks, derived from the run seed and the epoch
/// number alone so that a resumed run draws exactly what an uninterrupted one draws.
/// </summary>
internal static class EpochSeeds
{
    /// <summary>Returns the seed of torch's global generator for <paramref name="epoch"/>.</summary>
    public static long Torch(int seed, int epoch) => (long)(Mix(seed, epoch, stream: 0) >> 1);

    /// <summary>Returns the seed of the batch shuffler of <paramref name="epoch"/>.</summary>
    public static int Shuffle(int seed, int epoch) => (int)(Mix(seed, epoch, stream: 1) >> 33);

    // SplitMix64's finaliser spreads neighbouring (seed, epoch) pairs over the whole range.
    private static ulong Mix(int seed, int epoch, int stream)
    {
        var z = ((ulong)(uint)seed << 32) | (uint)epoch;
        z += 0x9E3779B97F4A7C15UL * (ulong)(stream + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
