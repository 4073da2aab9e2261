using System.Buffers.Binary;
using System.IO.Compression;

namespace SsdEdge.Datasets;

/// <summary>Opens plain or gzip-compressed text files for the readers.</summary>
internal static class TextSource
{
    /// <summary>
    /// Opens <paramref name="path"/> as text, decompressing it first when the name ends in
    /// <c>.gz</c>. <see cref="StreamReader.ReadLine"/> splits at <c>\r\n</c>, <c>\n</c> and
    /// <c>\r</c>, so files with mixed line endings read the same as clean ones.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The gzip stream is corrupt or truncated.</exception>
    public static TextReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"File '{path}' was not found.", path);
        }

        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        }

        var text = Decompress(path);
        return new StreamReader(text, detectEncodingFromByteOrderMarks: true);
    }

    private static MemoryStream Decompress(string path)
    {
        var compressed = File.ReadAllBytes(path);

        // A gzip member is at least a 10-byte header and an 8-byte trailer (CRC-32, ISIZE).
        if (compressed.Length < 18)
        {
            throw new DataFormatException(
                path,
                0,
                $"gzip file is truncated: {compressed.Length} bytes, a gzip member needs at least 18.");
        }

        var text = new MemoryStream();
        try
        {
            using var input = new MemoryStream(compressed, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            gzip.CopyTo(text);
        }
        catch (InvalidDataException error)
        {
            throw new DataFormatException(path, 0, $"gzip data is corrupt: {error.Message}", error);
        }
        catch (EndOfStreamException error)
        {
            throw new DataFormatException(path, 0, "gzip data ends before its last block.", error);
        }

        // GZipStream (seen on .NET 10) ends a cut-off stream quietly instead of raising, so the
        // trailer's ISIZE (the uncompressed length modulo 2^32) is compared with what was decompressed.
        // NOTE: for a file of several concatenated gzip members only the last member is checked.
        var declaredLength = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(^4));
        var actualLength = (uint)(text.Length & 0xFFFF_FFFF);
        if (declaredLength != actualLength)
        {
            throw new DataFormatException(
                path,
                0,
                $"gzip file is truncated or corrupt: the trailer declares {declaredLength} bytes of text, "
                + $"{actualLength} were decompressed.");
        }

        text.Position = 0;
        return text;
    }
}
