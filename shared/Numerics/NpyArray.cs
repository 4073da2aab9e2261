namespace SsdEdge.Numerics;

/// <summary>A float32 array with its shape, as read from or written to a NumPy <c>.npy</c> file.</summary>
/// <param name="Shape">Dimensions, outermost first (C order).</param>
/// <param name="Data">Values in C order; its length is the product of <paramref name="Shape"/>.</param>
public sealed record NpyArray(int[] Shape, float[] Data)
{
    /// <summary>Number of values (product of the shape).</summary>
    public int Count => Data.Length;
}
