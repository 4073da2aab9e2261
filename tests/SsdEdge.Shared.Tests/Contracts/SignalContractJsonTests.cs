using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Preprocessing;
using SsdEdge.Signals;
using Xunit;

namespace SsdEdge.Tests.Contracts;

/// <summary>
/// The build-time contract serializer, which the native AOT agent uses, writes and reads what the
/// reflection-based trainer settings write and read.
/// </summary>
public sealed class SignalContractJsonTests
{
    // Every field set, every enum at a value past its first, so a missing converter shows.
    private static readonly SignalContract Contract = new()
    {
        Channels =
        [
            new ContractChannel("eda", ChannelKind.Eda, "uS", 100),
            new ContractChannel("emg_corrugator", ChannelKind.Emg, "mV", 1000),
            new ContractChannel("aux", ChannelKind.Other, "a.u.", 50),
        ],
        ModelRateHz = 512,
        WindowSamples = 2816,
        Preprocessing = new PreprocessingSpec
        {
            Filters =
            [
                new FilterSpec("eda", FilterKind.LowPass, 5, Order: 4),
                new FilterSpec("*", FilterKind.BandPass, 20, HighCutoffHz: 250),
                new FilterSpec("emg_corrugator", FilterKind.Notch, 50, QualityFactor: 25),
            ],
            Normalization = NormalizationKind.MinMax,
            Quality = new QualityGateOptions { MaxNonFinite = 3, MaxFlatLineSeconds = 1.5 },
        },
        ClassLabels = ["rest", "pain"],
        PositiveClassIndex = 1,
        DecisionThreshold = 0.6,
        ModelId = "run-1/fold-2",
        RunId = "run-1",
        Fold = 2,
        TeacherRunId = "teacher-1",
        ProducerVersion = "1.2.3",
        CreatedUtc = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public void Serialize_Generated_MatchesReflectionSettings()
    {
        var generated = SignalContractJson.Serialize(Contract);

#pragma warning disable IL2026, IL3050 // The reflection settings are the reference here.
        var reflected = JsonSerializer.Serialize(Contract, SignalContractJson.Options);
#pragma warning restore IL2026, IL3050

        Assert.Equal(reflected, generated);
        Assert.Contains("\"kind\": \"emg\"", generated, StringComparison.Ordinal);
        Assert.Contains("\"normalization\": \"minMax\"", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_SerializedContract_RoundTrips()
    {
        var json = SignalContractJson.Serialize(Contract);

        var read = SignalContractJson.Deserialize(json, "contract.json");

        Assert.Equal(json, SignalContractJson.Serialize(read));
        Assert.Equal(ChannelKind.Other, read.Channels[2].Kind);
        Assert.Equal(FilterKind.Notch, read.Preprocessing.Filters[2].Kind);
    }

    [Fact]
    public void Deserialize_UnknownEnumValue_ThrowsInvalidData()
    {
        var json = SignalContractJson.Serialize(Contract).Replace("\"emg\"", "\"sonar\"", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => SignalContractJson.Deserialize(json, "contract.json"));

        Assert.Contains("contract.json", error.Message, StringComparison.Ordinal);
    }
}
