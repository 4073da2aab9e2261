namespace SsdEdge.Synthetic;

/// <summary>
/// The xoshiro256** pseudo-random generator (Blackman and Vigna), seeded through SplitMix64.
/// </summary>
/// <remarks>
/// The project carries its own generator because <see cref="Random"/> does not promise the same
/// sequence across .NET versions, and a synthetic dataset must be reproducible from its seed.
/// Not thread-safe.
/// </remarks>
public sealed class Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator whose state is four SplitMix64 outputs from <paramref name="seed"/>.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        var mixer = seed;
        _s0 = SplitMix64(ref mixer);
        _s1 = SplitMix64(ref mixer);
        _s2 = SplitMix64(ref mixer);
        _s3 = SplitMix64(ref mixer);
    }

    /// <summary>Advances a SplitMix64 state and returns its next output.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Returns a seed for an independent stream, derived from a parent seed and a stream index.</summary>
    public static ulong DeriveSeed(ulong seed, ulong stream)
    {
        var state = seed ^ (stream * 0xD1B54A32D192ED03UL);
        _ = SplitMix64(ref state);
        return SplitMix64(ref state);
    }

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Returns a uniform number in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns a uniform number in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Returns a uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextDouble() * maxExclusive);
    }

    /// <summary>Returns true with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Returns a standard normal number (Box-Muller transform; one value per two uniforms).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong RotateLeft(ulong value, int bits) => (value << bits) | (value >> (64 - bits));
}
