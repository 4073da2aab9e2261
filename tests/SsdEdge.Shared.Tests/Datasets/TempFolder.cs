using System.IO.Compression;
using System.Text;

namespace SsdEdge.Tests.Datasets;

/// <summary>A temporary folder for small test files, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("ssdedge-data-").FullName;
    }

    public string Path { get; }

    public string Write(string relativePath, string text)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return full;
    }

    public string WriteGzip(string relativePath, string text)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        using var file = File.Create(full);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        var bytes = Encoding.UTF8.GetBytes(text);
        gzip.Write(bytes);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
