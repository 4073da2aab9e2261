using System.Buffers.Binary;
using SkiaSharp;

namespace SsdEdge.Trainer.Tests.Reporting;

// Reads back what a test needs from a PNG file: the header and the set of colours used.
internal static class PngImage
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool HasSignature(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.Length > Signature.Length && bytes.AsSpan(0, Signature.Length).SequenceEqual(Signature);
    }

    // Width and height from the IHDR chunk, which follows the signature and its length and type.
    public static (int Width, int Height) Size(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return (
            BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)),
            BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    public static int DistinctColors(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        return bitmap.Pixels.Distinct().Count();
    }
}
