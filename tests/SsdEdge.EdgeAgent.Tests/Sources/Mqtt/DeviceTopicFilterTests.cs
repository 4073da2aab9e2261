using SsdEdge.EdgeAgent.Sources.Mqtt;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Mqtt;

public sealed class DeviceTopicFilterTests
{
    [Theory]
    [InlineData("ssdedge/sensors/wrist-01/samples", "wrist-01")]
    [InlineData("ssdedge/sensors/wrist-01/status", null)]
    [InlineData("ssdedge/sensors//samples", null)]
    [InlineData("ssdedge/sensors/a/b/samples", null)]
    public void DeviceIdOf_Topic_ReturnsPlusLevel(string topic, string? expected)
    {
        var filter = DeviceTopicFilter.TryParse(MqttOptions.DefaultTopicFilter, out _)!;

        Assert.Equal(expected, filter.DeviceIdOf(topic));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ssdedge/sensors/samples", "no '+' level")]
    [InlineData("ssdedge/+/+/samples", "more than one '+'")]
    [InlineData("ssdedge/sensors/+/#", "'#' is not accepted")]
    [InlineData("ssdedge/sens+rs/+/samples", "not '+' alone")]
    public void TryParse_BadFilter_NamesProblem(string filter, string expected)
    {
        Assert.Null(DeviceTopicFilter.TryParse(filter, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TopicOf_Device_FillsPlusLevel()
    {
        var filter = DeviceTopicFilter.TryParse("site/+/raw", out _)!;

        Assert.Equal("site/sim-01/raw", filter.TopicOf("sim-01"));
    }
}
