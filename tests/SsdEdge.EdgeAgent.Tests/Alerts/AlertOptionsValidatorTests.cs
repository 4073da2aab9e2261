using Microsoft.Extensions.Configuration;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Delivery;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Alerts;

public sealed class AlertOptionsValidatorTests
{
    private static AlertOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value)))
            .Build();
        var options = new AlertOptions();
        AlertOptions.Bind(configuration, options);
        return options;
    }

    [Fact]
    public void Defaults_AreValid()
    {
        var result = new AlertOptionsValidator().Validate(null, new AlertOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void ClearAboveThreshold_NamesSettingValueAndRange()
    {
        var result = new AlertOptionsValidator().Validate(null, Bind(("Alerts:Threshold", "0.6"), ("Alerts:ClearThreshold", "0.8")));

        var failure = Assert.Single(result.Failures!);
        Assert.Equal("Alerts:ClearThreshold = 0.8 is invalid; use a number from 0 to Alerts:Threshold (0.6).", failure);
    }

    [Fact]
    public void RaiseCountAboveWindowCount_Fails()
    {
        var result = new AlertOptionsValidator().Validate(null, Bind(("Alerts:RaiseCount", "6"), ("Alerts:WindowCount", "5")));

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Alerts:RaiseCount = 6 is invalid", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void NonNumber_ReportedInsteadOfThrown()
    {
        var result = new AlertOptionsValidator().Validate(null, Bind(("Alerts:Threshold", "high")));

        var failure = Assert.Single(result.Failures!);
        Assert.Equal("Alerts:Threshold = 'high' is not a number; use a number above 0 and at most 1.", failure);
    }

    [Fact]
    public void UnknownKey_Reported()
    {
        var result = new AlertOptionsValidator().Validate(null, Bind(("Alerts:Treshold", "0.5")));

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Alerts:Treshold is not a setting", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishPassword_NeverInMessages()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Publish:Password"] = "hunter2",
                ["Publish:Port"] = "70000",
                ["Publish:TopicPrefix"] = "a/b",
            })
            .Build();
        var options = new PublishOptions();
        PublishOptions.Bind(configuration, options);

        var result = new PublishOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.StartsWith("Publish:Port = 70000 is invalid; use a TCP port from 1 to 65535", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Publish:TopicPrefix = 'a/b'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Publish:Password is set but", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, failure => failure.Contains("hunter2", StringComparison.Ordinal));
    }
}
