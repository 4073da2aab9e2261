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
    /// <exception cref="InvalidDataException">The bytes are not a supported .npy file: the magic,
    /// version, header, dtype or shape is invalid, or the data is shorter than the shape needs.</exception>
    public static NpyArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{source}: not a .npy file (magic \\x93NUMPY missing).");
        }

        int major = bytes[6];
        long headerLength;
        int headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
            headerStart = 10;
        }
        else if (major is 2 or 3)
        {
            if (bytes.Length < 12)
            {
                throw new InvalidDataException(
                    $"{source}: the .npy file ends inside its version {major} preamble of 12 bytes.");
            }

            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
            headerStart = 12;
        }
        else
        {
            throw new InvalidDataException($"{source}: .npy format version {major} is not supported (1 to 3 are).");
        }

        if (headerStart + headerLength > bytes.Length)
        {
            throw new InvalidDataException(
                $"{source}: the .npy header declares {headerLength} bytes but only "
                + $"{bytes.Length - headerStart} follow the preamble.");
        }

        var header = Encoding.ASCII.GetString(bytes.Slice(headerStart, (int)headerLength));
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

        var dtype = descr.Groups[1].Value;
        var itemSize = dtype switch
        {
            "<f4" or "<i4" => 4,
            "<f8" or "<i8" => 8,
            _ => throw new InvalidDataException(
                $"{source}: dtype '{dtype}' is not supported (expected <f4, <f8, <i4 or <i8)."),
        };
        var payloadStart = (int)(headerStart + headerLength);
        var dims = ParseShape(shape.Groups[1].Value, source);
        var count = CountValues(dims, itemSize, bytes.Length - payloadStart, source);
        var payload = bytes[payloadStart..];
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

    /// <summary>
    /// Parses the inside of the header's shape tuple, such as <c>4, 1, 2816</c> or <c>3,</c>.
    /// </summary>
    private static int[] ParseShape(string tuple, string source)
    {
        var fields = tuple.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var dims = new int[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            if (long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var negative)
                && negative < 0)
            {
                throw new InvalidDataException(
                    $"{source}: the .npy shape ({tuple}) has the negative dimension {field}; "
                    + "every dimension must be 0 or more.");
            }

            if (!int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
            {
                throw new InvalidDataException(
                    $"{source}: the .npy shape ({tuple}) has the dimension '{field}'; expected a "
                    + $"non-negative integer of at most {int.MaxValue}.");
            }
        }

        return dims;
    }

    /// <summary>
    /// Returns the number of values of <paramref name="dims"/>, checking that they fit in the
    /// <paramref name="payloadBytes"/> after the header before multiplying further, so that a
    /// hostile shape can neither overflow the product nor allocate more than the file holds.
    /// </summary>
    private static int CountValues(int[] dims, int itemSize, int payloadBytes, string source)
    {
        if (dims.Contains(0))
        {
            return 0;
        }

        var available = payloadBytes / itemSize;
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
            if (count > available)
            {
                var needed = dims.Aggregate(new System.Numerics.BigInteger(itemSize), (product, d) => product * d);
                throw new InvalidDataException(
                    $"{source}: shape ({string.Join(", ", dims)}) needs {needed} data bytes, the file holds "
                    + $"{payloadBytes}; it is truncated or the shape is corrupt.");
            }
        }

        return (int)count;
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> as a version 1 float32 file.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the data length does not
    /// match the shape.</exception>
    public static void Write(string path, NpyArray array)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(array);
        if (array.Shape.Any(d => d < 0))
        {
            throw new ArgumentException(
                $"Shape ({string.Join(", ", array.Shape)}) has a negative dimension.",
                nameof(array));
        }

        long count = 1;
        foreach (var d in array.Shape)
        {
            // Capping above any array length keeps the product from overflowing.
            count = Math.Min(count * d, (long)int.MaxValue + 1);
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
