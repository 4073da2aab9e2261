using Microsoft.Extensions.Configuration;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

public sealed class AgentOptionsValidatorTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly AgentOptionsValidator _validator = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Validate_ExistingFilesAndDefaults_Succeeds()
    {
        var result = _validator.Validate(null, ValidOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_ModelPathNotSet_NamesSetting()
    {
        var options = ValidOptions();
        options.ModelPath = "";

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith("Agent:ModelPath (--model) is not set", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ModelFileMissing_NamesSettingAndValue()
    {
        var options = ValidOptions();
        options.ModelPath = _directory.File("absent.onnx");

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        var expected = $"Agent:ModelPath (--model) = '{options.ModelPath}': file not found";
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReplayMissing_NamesSetting()
    {
        var options = ValidOptions();
        options.Replay = "fmov:" + _directory.File("absent.tsv.gz");

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.Contains($"Agent:Replay (--replay) = '{options.Replay}'", failure, StringComparison.Ordinal);
        Assert.Contains($"'{_directory.File("absent.tsv.gz")}' not found", failure, StringComparison.Ordinal);
        Assert.Contains("FORMAT:FILE", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReplayNotSet_NamesSetting()
    {
        var options = ValidOptions();
        options.Replay = " ";

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith("Agent:Replay (--replay) is not set", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_BadSpeed_NamesSetting(double speed)
    {
        var options = ValidOptions();
        options.Speed = speed;

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith("Agent:Speed (--speed) = ", failure, StringComparison.Ordinal);
        Assert.Contains("use 0 to replay as fast as possible", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SpeedZero_Succeeds()
    {
        var options = ValidOptions();
        options.Speed = 0;

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void Validate_HopNotPositive_NamesSetting(double hopSeconds)
    {
        var options = ValidOptions();
        options.HopSeconds = hopSeconds;

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith("Agent:HopSeconds (--hop-seconds) = ", failure, StringComparison.Ordinal);
        Assert.Contains("positive number of seconds", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAgainstContract_HopBeyondWindow_Fails()
    {
        var options = ValidOptions();
        options.HopSeconds = 6;

        var result = AgentOptionsValidator.ValidateAgainstContract(options, TestModels.EdaContract());

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(
            "Agent:HopSeconds (--hop-seconds) = 6 is longer than the model's window of 5.5 s",
            failure,
            StringComparison.Ordinal);
        Assert.Contains("at most 5.5", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAgainstContract_HopEqualToWindow_Succeeds()
    {
        var options = ValidOptions();
        options.HopSeconds = 5.5;

        Assert.True(AgentOptionsValidator.ValidateAgainstContract(options, TestModels.EdaContract()).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Validate_ThreadsBelowOne_NamesSetting(int threads)
    {
        var options = ValidOptions();
        options.Threads = threads;

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.Equal(
            $"Agent:Threads (--threads) = {threads} is invalid; use 1 to 64 ONNX Runtime threads.",
            failure);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(100000)]
    public void Validate_ThreadsAboveMaximum_NamesBound(int threads)
    {
        var options = ValidOptions();
        options.Threads = threads;

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.Equal(
            $"Agent:Threads (--threads) = {threads} is invalid; use 1 to 64 ONNX Runtime threads.",
            failure);
    }

    [Fact]
    public void Validate_ThreadsAtMaximum_Succeeds()
    {
        var options = ValidOptions();
        options.Threads = AgentOptions.MaxThreads;

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(0.005)]
    [InlineData(1001.0)]
    public void Validate_SpeedOutsideRange_NamesRange(double speed)
    {
        var options = ValidOptions();
        options.Speed = speed;

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith("Agent:Speed (--speed) = ", failure, StringComparison.Ordinal);
        Assert.Contains("from 0.01 to 1000", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1000.0)]
    public void Validate_SpeedAtBound_Succeeds(double speed)
    {
        var options = ValidOptions();
        options.Speed = speed;

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0.0001)]
    [InlineData(61.0)]
    public void Validate_BlockSecondsOutsideRange_NamesRange(double blockSeconds)
    {
        var options = ValidOptions();
        options.BlockSeconds = blockSeconds;

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.Contains("from 0.001 to 60", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutputCannotBeOpened_NamesSettingAndReason()
    {
        var options = ValidOptions();

        // Longer than any file system allows for one name, so opening fails in an existing folder.
        options.Output = _directory.File(new string('w', 300) + ".jsonl");

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith(
            $"Agent:Output (--output) = '{options.Output}': the file cannot be opened for writing",
            failure,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutputWritable_LeavesNoFile()
    {
        var options = ValidOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.False(File.Exists(options.Output));
    }

    [Fact]
    public void Validate_UnknownReplayFormat_ListsKnownFormats()
    {
        var options = ValidOptions();
        options.Replay = "foo:bar";

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith("Agent:Replay (--replay) = 'foo:bar' is invalid", failure, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", Datasets.RecordingSource.KnownFormats), failure, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?rate=abc", "'rate=abc' is not a number")]
    [InlineData("?rate=-5", "'rate=-5' must be a positive number")]
    [InlineData("?rate", "'rate' in")]
    public void Validate_BadReplayParameter_NamesParameter(string parameters, string expected)
    {
        var options = ValidOptions();
        options.Replay += parameters;

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith(
            $"Agent:Replay (--replay) = '{options.Replay}' is invalid",
            failure,
            StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageOf_OutOfRange_KeepsOnlyTheMessage()
    {
        var error = new ArgumentOutOfRangeException("cutoffHz", 5.0, "The cut-off must be below half the rate.");

        var message = AgentOptionsValidator.MessageOf(error);

        Assert.Equal("The cut-off must be below half the rate.", message);
    }

    [Fact]
    public void Validate_UnknownCsvParameter_NamesParameter()
    {
        var csv = _directory.File("recording.csv");
        File.WriteAllText(csv, "eda\n1\n");
        var options = ValidOptions();
        options.Replay = $"csv:{csv}?rate=100&colums=eda:EDA";

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith($"Agent:Replay (--replay) = '{options.Replay}' is invalid", failure, StringComparison.Ordinal);
        Assert.Contains("colums", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadSyntheticSeed_NamesSetting()
    {
        var options = ValidOptions();
        options.Replay = "synthetic:seven";

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.Contains("Synthetic seed 'seven'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Speed", "abc", "Agent:Speed (--speed) = 'abc' is not a number; use 0 to replay as fast")]
    [InlineData("HopSeconds", "1s", "Agent:HopSeconds (--hop-seconds) = '1s' is not a number; use")]
    [InlineData("BlockSeconds", "", "Agent:BlockSeconds (--block-seconds) = '' is not a number; use")]
    [InlineData("Threads", "2.5", "Agent:Threads (--threads) = '2.5' is not a whole number; use 1 to 64")]
    public void ValidateConfiguration_NotNumber_SaysWhatIsAllowed(string key, string value, string expected)
    {
        var configuration = CommandLine($"--Agent:{key}={value}");

        var failure = Assert.Single(new AgentOptionsValidator(configuration).ValidateConfiguration().Failures!);

        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateConfiguration_UnknownKey_NamesKeyAndSettings()
    {
        var configuration = CommandLine("--Agent:Spede=1");

        var failure = Assert.Single(new AgentOptionsValidator(configuration).ValidateConfiguration().Failures!);

        Assert.StartsWith(
            "Agent:Spede (--Agent:Spede) is not a setting of the agent; the settings are Agent:ModelPath,",
            failure,
            StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateConfiguration_KnownKeysAnyCase_Succeeds()
    {
        var configuration = CommandLine("--agent:speed=2", "--Agent:Threads=3", "--Logging:LogLevel:Default=Debug");

        Assert.True(new AgentOptionsValidator(configuration).ValidateConfiguration().Succeeded);
    }

    [Fact]
    public void Validate_ValueFromJsonFile_NamesFile()
    {
        var json = _directory.File("agent.json");
        File.WriteAllText(json, """{ "Agent": { "Threads": 0 } }""");
        var configuration = new ConfigurationBuilder().AddJsonFile(json).Build();
        var options = ValidOptions();
        options.Threads = 0;

        var failure = Assert.Single(new AgentOptionsValidator(configuration).Validate(null, options).Failures!);

        Assert.StartsWith($"Agent:Threads ({json}) = 0 is invalid", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BlockSecondsZero_NamesSetting()
    {
        var options = ValidOptions();
        options.BlockSeconds = 0;

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.StartsWith(
            "Agent:BlockSeconds (--block-seconds) = 0 is invalid",
            failure,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutputFolderMissing_NamesFolder()
    {
        var options = ValidOptions();
        var folder = _directory.File("absent");
        options.Output = Path.Combine(folder, "windows.jsonl");

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.Equal(
            $"Agent:Output (--output) = '{options.Output}': folder '{folder}' not found; create it first.",
            failure);
    }

    [Fact]
    public void Validate_SeveralBadSettings_ReportsEach()
    {
        var options = ValidOptions();
        options.Speed = -1;
        options.Threads = 0;
        options.HopSeconds = 0;

        var failures = _validator.Validate(null, options).Failures!.ToList();

        Assert.Equal(3, failures.Count);
    }

    [Theory]
    [InlineData("synthetic:42", null)]
    [InlineData("fmov:/data/subject09_100hz.tsv.gz", "/data/subject09_100hz.tsv.gz")]
    [InlineData("/data/recording.csv", "/data/recording.csv")]
    [InlineData("csv:/data/recording.csv?rate=100", "/data/recording.csv")]
    [InlineData("physionet-emg:/data/emg.txt", "/data/emg.txt")]
    [InlineData("C:/data/recording.csv", "C:/data/recording.csv")]
    public void ReplayPath_SourceForms_ReturnsFilePart(string replay, string? expected)
    {
        Assert.Equal(expected, AgentOptionsValidator.ReplayPath(replay));
    }

    private static IConfigurationRoot CommandLine(params string[] args) =>
        new ConfigurationBuilder().AddCommandLine(args, AgentProgram.SwitchMappings.ToDictionary()).Build();

    private AgentOptions ValidOptions()
    {
        var model = _directory.File("model.onnx");
        var recording = _directory.File("recording.csv");
        File.WriteAllText(model, "stand-in; the validator checks existence only");
        File.WriteAllText(recording, "eda\n1\n");
        return new AgentOptions
        {
            ModelPath = model,
            Replay = "csv:" + recording,
            Output = _directory.File("out.jsonl"),
        };
    }
}
