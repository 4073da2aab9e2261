namespace SsdEdge.Tests.Synthetic;

/// <summary>Recorded outputs of the generator for seed 42, 128 Hz, 120 s, subject 1.</summary>
internal static class SyntheticGolden
{
    public const float FirstEda = 10.9603195f;

    public const int EventCount = 6;
}
