using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests;

/// <summary>The demo alert policy applies only to simulated devices without Alerts settings.</summary>
public sealed class DemoAlertPolicyTests
{
    [Fact]
    public void Options_DefaultRun_UseDemoPolicy()
    {
        var options = AlertOptionsOf(TestState.Args());

        Assert.True(options.IsDemoPolicy);
        Assert.Equal(2, options.RaiseCount);
        Assert.Equal(0.7, options.Threshold);
    }

    [Fact]
    public void Hop_DefaultRun_UsesDemoHop()
    {
        var builder = AgentProgram.CreateBuilder(TestState.Args(), TextWriter.Null);
        using var provider = builder.Services.BuildServiceProvider();

        Assert.Equal(AlertOptions.DemoHopSeconds, provider.GetRequiredService<IOptions<AgentOptions>>().Value.HopSeconds);
    }

    [Fact]
    public void Hop_Replay_KeepsDefault()
    {
        var builder = AgentProgram.CreateBuilder(TestState.Args("--replay", "synthetic:1"), TextWriter.Null);
        using var provider = builder.Services.BuildServiceProvider();

        Assert.Equal(1, provider.GetRequiredService<IOptions<AgentOptions>>().Value.HopSeconds);
    }

    [Fact]
    public void Options_AnyAlertsKey_KeepProductionPolicy()
    {
        var options = AlertOptionsOf(TestState.Args("--Alerts:CooldownSeconds=20"));

        Assert.False(options.IsDemoPolicy);
        Assert.Equal(3, options.RaiseCount);
        Assert.Equal(0.7, options.Threshold);
        Assert.Equal(20, options.CooldownSeconds);
    }

    [Fact]
    public void Options_ExternalBroker_KeepProductionPolicy()
    {
        var options = AlertOptionsOf(TestState.Args("--mqtt-host", "127.0.0.1"));

        Assert.False(options.IsDemoPolicy);
        Assert.Equal(3, options.RaiseCount);
    }

    [Fact]
    public void Options_Replay_KeepProductionPolicy()
    {
        var options = AlertOptionsOf(TestState.Args("--replay", "synthetic:1"));

        Assert.False(options.IsDemoPolicy);
        Assert.Equal(0.7, options.Threshold);
    }

    private static AlertOptions AlertOptionsOf(string[] args)
    {
        var builder = AgentProgram.CreateBuilder(args, TextWriter.Null);
        using var provider = builder.Services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AlertOptions>>().Value;
    }
}
