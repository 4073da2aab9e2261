using System.Buffers.Binary;
using System.Text;
using SsdEdge.Numerics;
using SsdEdge.Tests.Datasets;
using Xunit;

namespace SsdEdge.Tests.Numerics;

public sealed class NpyFileTests
{
    private const string Source = "hostile.npy";

    [Fact]
    public void WriteRead_RoundTrip_KeepsShapeAndValues()
    {
        using var folder = new TempFolder();
        var path = System.IO.Path.Combine(folder.Path, "array.npy");
        var original = new NpyArray([2, 3], [0f, -1.5f, 2.25f, float.MaxValue, float.Epsilon, 6f]);

        NpyFile.Write(path, original);
        var read = NpyFile.Read(path);

        Assert.Equal([2, 3], read.Shape);
        Assert.Equal(original.Data, read.Data);
    }

    [Fact]
    public void Write_HeaderIsPaddedToSixtyFourBytes()
    {
        using var folder = new TempFolder();
        var path = System.IO.Path.Combine(folder.Path, "vector.npy");

        NpyFile.Write(path, new NpyArray([3], [1f, 2f, 3f]));
        var bytes = File.ReadAllBytes(path);

        Assert.Equal(0, (bytes.Length - (3 * 4)) % 64);
        Assert.Equal([3], NpyFile.Read(path).Shape);
    }

    [Fact]
    public void Parse_Float64Payload_ConvertsToFloat32()
    {
        var payload = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(payload, 0.5);
        BinaryPrimitives.WriteDoubleLittleEndian(payload.AsSpan(8), -2.0);
        var bytes = Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", payload);

        var array = NpyFile.Parse(bytes, Source);

        Assert.Equal([0.5f, -2f], array.Data);
    }

    [Fact]
    public void Parse_ZeroDimension_GivesEmptyArray()
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 0), }", []);

        var array = NpyFile.Parse(bytes, Source);

        Assert.Equal([100000, 0], array.Shape);
        Assert.Empty(array.Data);
    }

    [Fact]
    public void Read_BadMagic_RaisesNamingFile()
    {
        using var folder = new TempFolder();
        var path = System.IO.Path.Combine(folder.Path, "not-npy.npy");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("PK\u0003\u0004 this is a zip, not an npy file"));

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Version4_RaisesUnsupportedVersion()
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4], major: 4);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains("version 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Version2CutInPreamble_Raises()
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", [], major: 2)[..11];

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains("preamble", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Version2HugeHeaderLength_Raises()
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4], major: 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), uint.MaxValue);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains("4294967295", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingDescr_Raises()
    {
        var bytes = Npy("{'fortran_order': False, 'shape': (1,), }", new byte[4]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains("'descr'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FortranOrder_Raises()
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains("Fortran-order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NegativeDimension_RaisesInvalidData()
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3, 2816), }", new byte[64]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains("negative dimension -1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999")]
    [InlineData("2147483648")]
    [InlineData("3.5")]
    [InlineData("n")]
    public void Parse_DimensionNotAnInt32_RaisesInvalidData(string dimension)
    {
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dimension}, 2), }}";
        var bytes = Npy(header, new byte[64]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains($"'{dimension}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShapeProductOverflowsInt64_RaisesTruncated()
    {
        var header = "{'descr': '<f4', 'fortran_order': False, "
            + "'shape': (2147483647, 2147483647, 2147483647, 2147483647), }";
        var bytes = Npy(header, new byte[64]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains("the file holds 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedData_RaisesWithByteCounts()
    {
        var bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 1, 2816), }", new byte[100]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains("needs 45056 data bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(">f4")]
    [InlineData("<f2")]
    [InlineData("|u1")]
    [InlineData("<U8")]
    public void Parse_UnsupportedDtype_Raises(string dtype)
    {
        var bytes = Npy($"{{'descr': '{dtype}', 'fortran_order': False, 'shape': (1,), }}", new byte[8]);

        var error = Assert.Throws<InvalidDataException>(() => NpyFile.Parse(bytes, Source));

        AssertNamesSource(error);
        Assert.Contains($"dtype '{dtype}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NegativeDimension_RaisesArgument()
    {
        using var folder = new TempFolder();
        var path = System.IO.Path.Combine(folder.Path, "negative.npy");

        Assert.Throws<ArgumentException>(() => NpyFile.Write(path, new NpyArray([-1, -2], [1f, 2f])));
    }

    private static void AssertNamesSource(InvalidDataException error) =>
        Assert.StartsWith(Source + ":", error.Message, StringComparison.Ordinal);

    /// <summary>Builds .npy bytes around any header text, without checking it.</summary>
    private static byte[] Npy(string header, byte[] payload, byte major = 1)
    {
        var text = header + "\n";
        var preamble = major == 1 ? 10 : 12;
        var bytes = new byte[preamble + text.Length + payload.Length];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(bytes, 1);
        bytes[6] = major;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)text.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)text.Length);
        }

        Encoding.ASCII.GetBytes(text).CopyTo(bytes, preamble);
        payload.CopyTo(bytes, preamble + text.Length);
        return bytes;
    }
}
