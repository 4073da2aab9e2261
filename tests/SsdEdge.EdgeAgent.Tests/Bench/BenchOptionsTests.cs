using SsdEdge.EdgeAgent.Bench;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Bench;

public sealed class BenchOptionsTests
{
    [Fact]
    public void Parse_NoArguments_GivesDefaults()
    {
        var options = BenchOptions.Parse([]);

        Assert.Equal(1, options.Threads);
        Assert.Equal(300, options.Windows);
        Assert.Equal(1.0, options.HopSeconds);
        Assert.Equal([25, 50, 100, 200, 400], options.CapacitySteps);
        Assert.True(options.RunCapacity);
        Assert.False(options.Smoke);
        Assert.True(options.RunBroker);
        Assert.Equal("", options.BrokerHost);
        Assert.Equal([10, 25, 50, 100, 200, 400], options.BrokerSteps);
    }

    [Fact]
    public void Parse_BrokerOptions_AreRead()
    {
        var options = BenchOptions.Parse(
            ["--broker-host", "127.0.0.1", "--broker-port=1884", "--e2e-devices", "3", "--e2e-seconds", "30",
                "--broker-steps", "5,10", "--broker-seconds", "12", "--outbox-dir", "/tmp/o", "--no-broker"]);

        Assert.Equal("127.0.0.1", options.BrokerHost);
        Assert.Equal(1884, options.BrokerPort);
        Assert.Equal(3, options.EndToEndDevices);
        Assert.Equal(30.0, options.EndToEndSeconds);
        Assert.Equal([5, 10], options.BrokerSteps);
        Assert.Equal(12.0, options.BrokerSeconds);
        Assert.Equal("/tmp/o", options.OutboxDirectory);
        Assert.False(options.RunBroker);
    }

    [Fact]
    public void Parse_ValuesInBothForms_AreRead()
    {
        var options = BenchOptions.Parse(
            ["--threads=2", "--windows", "50", "--capacity-steps", "10, 20", "--compare-onnx", "x.onnx"]);

        Assert.Equal(2, options.Threads);
        Assert.Equal(50, options.Windows);
        Assert.Equal([10, 20], options.CapacitySteps);
        Assert.Equal("x.onnx", options.CompareOnnxPath);
    }

    [Fact]
    public void Parse_Smoke_ShortensEverySection()
    {
        var options = BenchOptions.Parse(["--smoke", "--duty-seconds", "60"]);

        Assert.True(options.Smoke);
        Assert.True(options.Windows <= 20);
        Assert.True(options.DutySeconds <= 1.5);
        Assert.True(options.CapacitySeconds <= 2.5);
        Assert.Equal([2], options.CapacitySteps);
        Assert.Equal([2], options.BrokerSteps);
        Assert.True(options.EndToEndSeconds <= 3.5);
        Assert.True(options.BrokerSeconds <= 2);
    }

    [Theory]
    [InlineData("--threads", "0", "from 1 to 64")]
    [InlineData("--threads", "two", "got 'two'")]
    [InlineData("--hop-seconds", "NaN", "--hop-seconds")]
    [InlineData("--capacity-steps", "50,25", "increasing order")]
    [InlineData("--capacity-steps", ",", "at least one device count")]
    [InlineData("--broker-port", "0", "from 1 to 65535")]
    [InlineData("--broker-steps", "10,10", "increasing order")]
    [InlineData("--e2e-seconds", "-1", "--e2e-seconds")]
    public void Parse_InvalidValue_ThrowsNamingProblem(string option, string value, string expected)
    {
        var error = Assert.Throws<FormatException>(() => BenchOptions.Parse([option, value]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingValue_ThrowsNamingOption()
    {
        var error = Assert.Throws<FormatException>(() => BenchOptions.Parse(["--model"]));

        Assert.Contains("--model needs a value", error.Message, StringComparison.Ordinal);
    }
}
