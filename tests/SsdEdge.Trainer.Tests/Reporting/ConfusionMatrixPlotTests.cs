using SkiaSharp;
using SsdEdge.Trainer.Reporting;
using Xunit;

namespace SsdEdge.Trainer.Tests.Reporting;

public sealed class ConfusionMatrixPlotTests : IDisposable
{
    private const int MinDistinctColors = 50;

    private readonly string _folder = Directory.CreateTempSubdirectory("ssdedge-confusion-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Save_ThreeClasses_WritesPng()
    {
        var path = Path.Combine(_folder, "confusion.png");
        int[][] matrix = [[40, 8, 2], [5, 30, 15], [1, 9, 40]];

        ConfusionMatrixPlot.Save(matrix, ["baseline", "low", "high"], "Pooled test confusion matrix", path);

        var (width, height) = PngImage.Size(path);
        Assert.True(PngImage.HasSignature(path), "PNG signature missing");
        Assert.InRange(width, 600, 2000);
        Assert.InRange(height, 600, 2000);
        Assert.InRange(PngImage.DistinctColors(path), MinDistinctColors, int.MaxValue);
    }

    [Fact]
    public void Save_DiagonalMatrix_DiagonalDarkerThanOffDiagonal()
    {
        var path = Path.Combine(_folder, "confusion.png");
        int[][] matrix = [[50, 0], [0, 50]];

        ConfusionMatrixPlot.Save(matrix, ["no pain", "pain"], "Diagonal", path);

        // Sample the top-left (true 0, predicted 0) and top-right cells away from their text.
        // The diagonal cell contains 100 % of its row and the other cell 0 %.
        var diagonal = Brightness(FindCellColor(path, column: 0));
        var offDiagonal = Brightness(FindCellColor(path, column: 1));
        Assert.True(diagonal < offDiagonal - 100, $"diagonal {diagonal} is not darker than {offDiagonal}");
    }

    [Fact]
    public void Save_EmptyRow_WritesPng()
    {
        var path = Path.Combine(_folder, "confusion.png");
        int[][] matrix = [[0, 0], [3, 7]];

        ConfusionMatrixPlot.Save(matrix, ["no pain", "pain"], "Empty row", path);

        Assert.True(PngImage.HasSignature(path), "PNG signature missing");
    }

    [Fact]
    public void Save_RowLengthMismatch_ThrowsNamingRow()
    {
        var path = Path.Combine(_folder, "confusion.png");
        int[][] matrix = [[1, 2], [3]];

        var error = Assert.Throws<ArgumentException>(
            () => ConfusionMatrixPlot.Save(matrix, ["a", "b"], "x", path));

        Assert.Contains("row 1 has 1 columns; expected 2", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "a file was written for an invalid matrix");
    }

    [Fact]
    public void Save_NegativeCount_Throws()
    {
        var path = Path.Combine(_folder, "confusion.png");
        int[][] matrix = [[1, -2], [3, 4]];

        Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.Save(matrix, ["a", "b"], "x", path));
    }

    // Samples a quarter of the way into a cell of the top row.
    private static SKColor FindCellColor(string path, int column)
    {
        using var bitmap = SKBitmap.Decode(path);
        var area = DiagonalBounds(bitmap);
        var x = area.Left + (int)((column + 0.25) * area.Width / 2);
        var y = area.Top + area.Height / 8;
        return bitmap.GetPixel(x, y);
    }

    // Bounding box of the strongly blue pixels left of the colour bar. In a diagonal matrix these
    // are the two diagonal cells, which span the heatmap from corner to corner.
    private static SKRectI DiagonalBounds(SKBitmap bitmap)
    {
        int left = bitmap.Width, right = 0, top = bitmap.Height, bottom = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width * 3 / 4; x++)
            {
                var color = bitmap.GetPixel(x, y);
                if (color.Blue - color.Red > 60)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                }
            }
        }

        return new SKRectI(left, top, right, bottom);
    }

    private static int Brightness(SKColor color) => color.Red + color.Green + color.Blue;
}
