namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR. The
/// checksum of the ASCII bytes "123456789" is 0x29B1.
/// </summary>
public static class Crc16Ccitt
{
    private static readonly ushort[] Table = CreateTable();

    /// <summary>Returns the checksum of <paramref name="data"/>.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var value in data)
        {
            crc = (ushort)((crc << 8) ^ Table[(crc >> 8) ^ value]);
        }

        return crc;
    }

    private static ushort[] CreateTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < table.Length; i++)
        {
            var crc = (ushort)(i << 8);
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }

            table[i] = crc;
        }

        return table;
    }
}
