using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SsdEdge.Numerics;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1 to 3, little-endian, C order).
/// </summary>
/// <remarks>
/// Layout: the magic <c>\x93NUMPY</c>, a major and minor version byte, a header length (2 bytes in
/// version 1, 4 bytes later), a Python dict literal with <c>descr</c>, <c>fortran_order</c> and
/// <c>shape</c>, padded with spaces to a multiple of 64 bytes, then the raw data.
/// Reading converts <c>&lt;f4</c>, <c>&lt;f8</c>, <c>&lt;i4</c> and <c>&lt;i8</c> to float32;
/// writing always produces version 1 <c>&lt;f4</c>.
/// </remarks>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads <paramref name="path"/> as a float32 array.</summary>
    /// <exception cref="InvalidDataException">The file is not a supported .npy file.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = File.ReadAllBytes(path);
        return Parse(bytes, path);
    }

    /// <summary>Parses .npy bytes; <paramref name="source"/> names them in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a supported .npy file.</exception>
    public static NpyArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{source}: not a .npy file (magic \\x93NUMPY missing).");
        }

        int major = bytes[6];
        int headerLength;
        int headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
            headerStart = 10;
        }
        else if (major is 2 or 3)
        {
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));
            headerStart = 12;
        }
        else
        {
            throw new InvalidDataException($"{source}: .npy format version {major} is not supported (1 to 3 are).");
        }

        if (headerStart + headerLength > bytes.Length)
        {
            throw new InvalidDataException($"{source}: the .npy header runs past the end of the file.");
        }

        var header = Encoding.ASCII.GetString(bytes.Slice(headerStart, headerLength));
        var descr = DescrPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !shape.Success)
        {
            throw new InvalidDataException($"{source}: the .npy header lacks 'descr' or 'shape': {header.Trim()}");
        }

        if (FortranPattern().IsMatch(header))
        {
            throw new InvalidDataException($"{source}: Fortran-order .npy arrays are not supported; save in C order.");
        }

        var dims = shape.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture))
            .ToArray();
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
        }

        var payload = bytes[(headerStart + headerLength)..];
        var dtype = descr.Groups[1].Value;
        var itemSize = dtype switch
        {
            "<f4" or "<i4" => 4,
            "<f8" or "<i8" => 8,
            _ => throw new InvalidDataException(
                $"{source}: dtype '{dtype}' is not supported (expected <f4, <f8, <i4 or <i8)."),
        };
        if (payload.Length < count * itemSize)
        {
            throw new InvalidDataException(
                $"{source}: shape ({string.Join(", ", dims)}) needs {count * itemSize} data bytes, "
                + $"the file holds {payload.Length}; it is truncated.");
        }

        var data = new float[count];
        for (var i = 0; i < data.Length; i++)
        {
            var item = payload.Slice(i * itemSize, itemSize);
            data[i] = dtype switch
            {
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(item),
                "<f8" => (float)BinaryPrimitives.ReadDoubleLittleEndian(item),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(item),
                _ => BinaryPrimitives.ReadInt64LittleEndian(item),
            };
        }

        return new NpyArray(dims, data);
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> as a version 1 float32 file.</summary>
    /// <exception cref="ArgumentException">The data length does not match the shape.</exception>
    public static void Write(string path, NpyArray array)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(array);
        long count = 1;
        foreach (var d in array.Shape)
        {
            count *= d;
        }

        if (count != array.Data.Length)
        {
            throw new ArgumentException(
                $"Shape ({string.Join(", ", array.Shape)}) holds {count} values, the data has {array.Data.Length}.",
                nameof(array));
        }

        var shapeText = array.Shape.Length == 1
            ? $"({array.Shape[0]},)"
            : "(" + string.Join(", ", array.Shape) + ")";
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shapeText}, }}";
        var unpadded = 10 + dict.Length + 1;
        var padding = (64 - (unpadded % 64)) % 64;
        var header = dict + new string(' ', padding) + "\n";

        using var stream = File.Create(path);
        stream.Write(Magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)header.Length));
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
        Span<byte> item = stackalloc byte[4];
        foreach (var value in array.Data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(item, value);
            stream.Write(item);
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();
}
