namespace SsdEdge.Datasets;

/// <summary>
/// Conversions of raw PLUX/BITalino ADC counts to physical units, as PLUX publishes them for
/// BITalino sensors powered at <see cref="SupplyVolts"/>.
/// </summary>
public static class PluxAdc
{
    /// <summary>Sensor supply voltage VCC, in volts.</summary>
    public const double SupplyVolts = 3.3;

    /// <summary>Converts EDA counts to µS: ((ADC / 2^n) × VCC) / 0.132.</summary>
    /// <param name="counts">Raw ADC value.</param>
    /// <param name="resolutionBits">ADC resolution n, in bits.</param>
    public static double EdaMicrosiemens(double counts, int resolutionBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resolutionBits);
        return counts / Math.Pow(2, resolutionBits) * SupplyVolts / 0.132;
    }

    /// <summary>Converts EMG counts to mV: ((ADC / 2^n − 0.5) × VCC / 1009) × 1000.</summary>
    /// <param name="counts">Raw ADC value.</param>
    /// <param name="resolutionBits">ADC resolution n, in bits.</param>
    public static double EmgMillivolts(double counts, int resolutionBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resolutionBits);
        return (counts / Math.Pow(2, resolutionBits) - 0.5) * SupplyVolts / 1009 * 1000;
    }
}
