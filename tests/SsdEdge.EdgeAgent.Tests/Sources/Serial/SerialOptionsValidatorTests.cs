using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Serial;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Serial;

public sealed class SerialOptionsValidatorTests
{
    [Fact]
    public void Validate_MinimalDevice_SucceedsWithDefaults()
    {
        var options = Bind(Minimal());

        var result = Validate(Minimal());

        Assert.True(result.Succeeded, result.FailureMessage);
        var device = Assert.Single(options.Devices);
        Assert.Equal(115200, device.BaudRate);
        Assert.Equal(SerialProtocol.Line, device.Protocol);
        Assert.Equal("auto", device.Delimiter);
        Assert.Equal(1024, device.MaxLineBytes);
        Assert.Equal(5, device.SilenceSeconds);
        Assert.Equal(0.5, device.ReopenDelaySeconds);
        Assert.Equal(10, device.MaxReopenDelaySeconds);
    }

    [Fact]
    public void Bind_ColumnMap_OrderedByField()
    {
        var settings = Minimal();
        settings.Remove("Serial:Devices:0:Channels:0");
        settings["Serial:Devices:0:Channels:eda"] = "3";
        settings["Serial:Devices:0:Channels:ecg"] = "1";

        var device = Assert.Single(Bind(settings).Devices);

        Assert.Equal(["ecg", "eda"], device.ChannelNames());
        Assert.Equal([1, 3], device.ResolveFields());
    }

    [Fact]
    public void Bind_ChannelObjects_KeepArrayOrder()
    {
        var settings = Minimal();
        settings.Remove("Serial:Devices:0:Channels:0");
        settings["Serial:Devices:0:Channels:0:Name"] = "eda";
        settings["Serial:Devices:0:Channels:0:Field"] = "2";
        settings["Serial:Devices:0:Channels:1:Name"] = "ecg";
        settings["Serial:Devices:0:Channels:1:Field"] = "0";

        var device = Assert.Single(Bind(settings).Devices);

        Assert.Equal(["eda", "ecg"], device.ChannelNames());
        Assert.Equal([2, 0], device.ResolveFields());
    }

    [Fact]
    public void Validate_UnknownDeviceKey_NamesKeyWithoutValue()
    {
        var settings = Minimal();
        settings["Serial:Devices:0:Colour"] = "red";

        var failure = Assert.Single(Validate(settings).Failures!);

        Assert.StartsWith("Serial:Devices:0:Colour (", failure, StringComparison.Ordinal);
        Assert.Contains("is not a setting of a serial device", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("'red'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BaudRate", "9", "Serial:Devices:0:BaudRate", "50 to 4000000")]
    [InlineData("BaudRate", "fast", "Serial:Devices:0:BaudRate", "is not a whole number")]
    [InlineData("Protocol", "spi", "Serial:Devices:0:Protocol", "line or binary")]
    [InlineData("SamplingRateHz", "-5", "Serial:Devices:0:SamplingRateHz", "sampling rate in Hz")]
    [InlineData("SamplingRateHz", "abc", "Serial:Devices:0:SamplingRateHz", "is not a number")]
    [InlineData("Delimiter", "xx", "Serial:Devices:0:Delimiter", "auto, comma")]
    [InlineData("MaxLineBytes", "4", "Serial:Devices:0:MaxLineBytes", "16 to 65536")]
    [InlineData("SilenceSeconds", "0", "Serial:Devices:0:SilenceSeconds", "above 0")]
    [InlineData("ReopenDelaySeconds", "0", "Serial:Devices:0:ReopenDelaySeconds", "0.01 to 600")]
    [InlineData("MaxReopenDelaySeconds", "0.1", "Serial:Devices:0:MaxReopenDelaySeconds", "from ReopenDelaySeconds")]
    [InlineData("SequenceModulo", "65536", "Serial:Devices:0:SequenceModulo", "SequenceField is not")]
    public void Validate_BadValue_NamesSettingValueAndAllowed(string key, string value, string name, string allowed)
    {
        var settings = Minimal();
        settings[$"Serial:Devices:0:{key}"] = value;

        var failure = Assert.Single(Validate(settings).Failures!);

        Assert.Contains(name, failure, StringComparison.Ordinal);
        Assert.Contains(value, failure, StringComparison.Ordinal);
        Assert.Contains(allowed, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DeviceId")]
    [InlineData("Port")]
    [InlineData("SamplingRateHz")]
    [InlineData("Channels:0")]
    public void Validate_RequiredMissing_ReportsNotSet(string key)
    {
        var settings = Minimal();
        settings.Remove($"Serial:Devices:0:{key}");

        var failure = Assert.Single(Validate(settings).Failures!);

        Assert.Contains("is not set", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ChannelOnSequenceField_Rejected()
    {
        var settings = Minimal();
        settings.Remove("Serial:Devices:0:Channels:0");
        settings["Serial:Devices:0:Channels:eda"] = "0";
        settings["Serial:Devices:0:SequenceField"] = "0";

        var failure = Assert.Single(Validate(settings).Failures!);

        Assert.Contains("Serial:Devices:0:Channels", failure, StringComparison.Ordinal);
        Assert.Contains("eda: 0", failure, StringComparison.Ordinal);
        Assert.Contains("other than SequenceField", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateDeviceId_Rejected()
    {
        var settings = Minimal();
        settings["Serial:Devices:1:DeviceId"] = "WRIST";
        settings["Serial:Devices:1:Port"] = "/dev/ttyUSB1";
        settings["Serial:Devices:1:SamplingRateHz"] = "100";
        settings["Serial:Devices:1:Channels:0"] = "eda";

        var failure = Assert.Single(Validate(settings).Failures!);

        Assert.Contains("Serial:Devices:1:DeviceId", failure, StringComparison.Ordinal);
        Assert.Contains("already the id of Serial:Devices:0", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownSectionKey_Rejected()
    {
        var settings = Minimal();
        settings["Serial:Port"] = "/dev/ttyUSB0";

        var failure = Assert.Single(Validate(settings).Failures!);

        Assert.Contains("Serial:Port", failure, StringComparison.Ordinal);
        Assert.Contains("contains only Devices", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DevicesNotArray_Rejected()
    {
        var settings = new Dictionary<string, string?> { ["Serial:Devices:wrist:Port"] = "/dev/ttyUSB0" };

        var failure = Assert.Single(Validate(settings).Failures!);

        Assert.Contains("must be an array", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BinaryWithLineSettings_Rejected()
    {
        var settings = Minimal();
        settings["Serial:Devices:0:Protocol"] = "binary";
        settings["Serial:Devices:0:SequenceField"] = "0";
        settings["Serial:Devices:0:Delimiter"] = "tab";

        var failures = Validate(settings).Failures!.ToList();

        Assert.Equal(2, failures.Count);
        Assert.All(failures, failure => Assert.Contains("applies only to Protocol line", failure, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ColumnMapNotNumber_Rejected()
    {
        var settings = Minimal();
        settings.Remove("Serial:Devices:0:Channels:0");
        settings["Serial:Devices:0:Channels:eda"] = "second";

        var failure = Assert.Single(Validate(settings).Failures!);

        Assert.Contains("Serial:Devices:0:Channels:eda", failure, StringComparison.Ordinal);
        Assert.Contains("'second'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FromEnvironmentVariable_NamesVariable()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Minimal())
            .AddEnvironmentVariables("SSDEDGE_SERIAL_TEST_")
            .Build();
        Environment.SetEnvironmentVariable("SSDEDGE_SERIAL_TEST_Serial__Devices__0__BaudRate", "7");
        try
        {
            configuration.Reload();
            var options = new SerialOptions();
            SerialOptionsBinder.Bind(configuration.GetSection("Serial"), options);

            var failure = Assert.Single(new SerialOptionsValidator(configuration).Validate(null, options).Failures!);

            Assert.Contains("environment variable", failure, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SSDEDGE_SERIAL_TEST_Serial__Devices__0__BaudRate", null);
        }
    }

    [Fact]
    public void ValidateAgainstContract_SameChannels_Succeeds()
    {
        var result = SerialOptionsValidator.ValidateAgainstContract(Bind(Minimal()), TestModels.EdaContract());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void ValidateAgainstContract_OtherChannels_NamesBoth()
    {
        var settings = Minimal();
        settings["Serial:Devices:0:Channels:0"] = "ecg";

        var result = SerialOptionsValidator.ValidateAgainstContract(Bind(settings), TestModels.EdaContract());

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("Serial:Devices:0:Channels = [ecg]", failure, StringComparison.Ordinal);
        Assert.Contains("needs the channels [eda]", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSerialSources_SectionAbsent_RegistersNothing()
    {
        var services = new ServiceCollection();

        services.AddSerialSources(new ConfigurationBuilder().Build());

        Assert.Empty(services);
    }

    [Fact]
    public void AddSerialSources_TwoDevices_RegistersTwoSources()
    {
        var settings = Minimal();
        settings["Serial:Devices:1:DeviceId"] = "chest";
        settings["Serial:Devices:1:Port"] = "/dev/ttyUSB1";
        settings["Serial:Devices:1:Protocol"] = "binary";
        settings["Serial:Devices:1:SamplingRateHz"] = "1000";
        settings["Serial:Devices:1:Channels:0"] = "ecg";
        var services = new ServiceCollection().AddLogging();

        services.AddSerialSources(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();
        var sources = provider.GetServices<ISampleSource>().Cast<SerialSource>().ToList();

        Assert.Equal(["wrist", "chest"], sources.Select(source => source.Device.DeviceId));
        Assert.Equal(1000, sources[1].Device.SamplingRateHz);
        Assert.Equal(SerialPortState.Connecting, sources[0].Status.State);
    }

    [Fact]
    public void AddSerialSources_InvalidSetting_FailsWhenResolved()
    {
        var settings = Minimal();
        settings["Serial:Devices:0:BaudRate"] = "fast";
        var services = new ServiceCollection().AddLogging();

        services.AddSerialSources(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetServices<ISampleSource>().ToList());
        Assert.Contains("Serial:Devices:0:BaudRate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SerialSource_InvalidOptions_Throws()
    {
        var options = new SerialDeviceOptions { DeviceId = "x", Port = "/dev/null", SamplingRateHz = 0 };
        options.Channels.Add(new SerialChannelOptions("eda"));

        var error = Assert.Throws<ArgumentException>(() => new SerialSource(
            options, new IngestCounters(), TimeProvider.System, NullLogger<SerialSource>.Instance));

        Assert.Contains("SamplingRateHz", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Minimal() => new()
    {
        ["Serial:Devices:0:DeviceId"] = "wrist",
        ["Serial:Devices:0:Port"] = "/dev/ttyUSB0",
        ["Serial:Devices:0:SamplingRateHz"] = "100",
        ["Serial:Devices:0:Channels:0"] = "eda",
    };

    private static SerialOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new SerialOptions();
        SerialOptionsBinder.Bind(configuration.GetSection("Serial"), options);
        return options;
    }

    private static ValidateOptionsResult Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new SerialOptions();
        SerialOptionsBinder.Bind(configuration.GetSection("Serial"), options);
        return new SerialOptionsValidator(configuration).Validate(null, options);
    }
}
