using System.Globalization;
using System.Text;

namespace SsdEdge.Tests.Datasets;

/// <summary>Writes a small BioVid Part A layout with synthetic values into a temporary folder.</summary>
internal static class BioVidFakeTree
{
    public const string Header = "time\tgsr\tecg\temg_trapezius\temg_corrugator\temg_zygomaticus";

    public static readonly string[] Subjects = ["071309_w_21", "071614_m_20"];

    public static readonly string[] Classes = ["BL1", "PA1", "PA2", "PA3", "PA4"];

    /// <summary>Writes two subjects with two samples per class and returns the root folder.</summary>
    public static string Write(TempFolder folder, int rows = 2816)
    {
        foreach (var subject in Subjects)
        {
            foreach (var bioVidClass in Classes)
            {
                for (var index = 1; index <= 2; index++)
                {
                    var name = string.Create(
                        CultureInfo.InvariantCulture,
                        $"{subject}-{bioVidClass}-{index:D3}_bio.csv");
                    folder.Write(Path.Combine("biosignals_filtered", subject, name), Table(rows, index));
                }
            }
        }

        return folder.Path;
    }

    public static string Table(int rows, int offset)
    {
        var text = new StringBuilder(Header).Append('\n');
        for (var t = 0; t < rows; t++)
        {
            // Time in µs at 512 Hz: 1953.125 µs per sample.
            var gsr = 5 + 0.001 * t + offset;
            text.Append(CultureInfo.InvariantCulture, $"{t * 1953.125:0}\t{gsr}\t{t % 7}\t0.1\t0.2\t0.3\n");
        }

        return text.ToString();
    }
}
