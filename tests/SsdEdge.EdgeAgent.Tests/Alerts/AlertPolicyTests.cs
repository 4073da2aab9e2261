using SsdEdge.EdgeAgent.Alerts;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Alerts;

public sealed class AlertPolicyTests
{
    private static AlertOptions Options(double cooldown = 0, double minQuality = 0) => new()
    {
        Threshold = 0.7,
        ClearThreshold = 0.4,
        RaiseCount = 3,
        WindowCount = 5,
        ClearCount = 2,
        CooldownSeconds = cooldown,
        MinQuality = minQuality,
    };

    private static List<AlertTransition> Feed(AlertPolicy policy, params double?[] probabilities)
    {
        var transitions = new List<AlertTransition>();
        foreach (var probability in probabilities)
        {
            transitions.Add(policy.Evaluate(probability, 1, transitions.Count));
        }

        return transitions;
    }

    [Fact]
    public void Raise_ThreeOfFiveAtThreshold()
    {
        var policy = new AlertPolicy(Options());

        var transitions = Feed(policy, 0.8, 0.1, 0.7, 0.2, 0.9);

        Assert.Equal(
            [AlertTransition.None, AlertTransition.None, AlertTransition.None, AlertTransition.None, AlertTransition.Raise],
            transitions);
        Assert.Equal(AlertState.Raised, policy.State);
    }

    [Fact]
    public void Raise_HitsOutsideWindowDoNotCount()
    {
        var policy = new AlertPolicy(Options());

        // Hits at 0 and 1 leave the five-window history before the third hit at 6.
        var transitions = Feed(policy, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.9);

        Assert.DoesNotContain(AlertTransition.Raise, transitions);
        Assert.Equal(1, policy.Hits);
    }

    [Fact]
    public void Clear_NeedsConsecutiveWindowsBelowClearLevel()
    {
        var policy = new AlertPolicy(Options());
        Feed(policy, 0.9, 0.9, 0.9);

        // 0.5 lies in the hysteresis band: it neither keeps counting toward a clear nor raises again.
        var transitions = Feed(policy, 0.3, 0.5, 0.3, 0.3);

        Assert.Equal(
            [AlertTransition.None, AlertTransition.None, AlertTransition.None, AlertTransition.Clear],
            transitions);
        Assert.Equal(AlertState.Clear, policy.State);
    }

    [Fact]
    public void Clear_StartsWithEmptyHistory()
    {
        var policy = new AlertPolicy(Options());
        Feed(policy, 0.9, 0.9, 0.9, 0.1, 0.1);

        Assert.Equal(0, policy.Hits);
        Assert.Equal(AlertTransition.None, policy.Evaluate(0.9, 1, 10));
    }

    [Fact]
    public void Unscored_CountsAsMissTowardRaise()
    {
        var policy = new AlertPolicy(Options());

        var transitions = Feed(policy, 0.9, null, null, null, 0.9, 0.9);

        // At the last window the history contains null, null, null, 0.9, 0.9: the first 0.9 has left it.
        Assert.DoesNotContain(AlertTransition.Raise, transitions);
        Assert.Equal(2, policy.Hits);
    }

    [Fact]
    public void LowQuality_NeverRaises()
    {
        var policy = new AlertPolicy(Options(minQuality: 0.6));

        var transitions = Enumerable.Range(0, 10).Select(i => policy.Evaluate(0.99, 0.5, i)).ToList();

        Assert.DoesNotContain(AlertTransition.Raise, transitions);
        Assert.Equal(0, policy.Hits);
    }

    [Fact]
    public void LowQuality_NeitherClearsNorResetsClearRun()
    {
        var policy = new AlertPolicy(Options(minQuality: 0.6));
        for (var i = 0; i < 3; i++)
        {
            policy.Evaluate(0.9, 1, i);
        }

        Assert.Equal(AlertTransition.None, policy.Evaluate(0.1, 1, 3));
        Assert.Equal(AlertTransition.None, policy.Evaluate(0.1, 0.2, 4));
        Assert.Equal(AlertTransition.None, policy.Evaluate(null, 0, 5));
        Assert.Equal(1, policy.ClearRun);
        Assert.Equal(AlertTransition.Clear, policy.Evaluate(0.1, 1, 6));
    }

    [Fact]
    public void NaNProbability_IsIneligible()
    {
        var policy = new AlertPolicy(Options());

        var transitions = Feed(policy, double.NaN, double.NaN, double.NaN, double.NaN);

        Assert.DoesNotContain(AlertTransition.Raise, transitions);
        Assert.Equal(0, policy.Hits);
    }

    [Fact]
    public void Cooldown_SuppressesRaiseUntilOver()
    {
        var policy = new AlertPolicy(Options(cooldown: 10));
        Feed(policy, 0.9, 0.9, 0.9, 0.1, 0.1);

        // Cleared at t = 4; hits at 5, 6, 7 fall inside the cooldown that ends at t = 14.
        var during = Enumerable.Range(5, 9).Select(t => policy.Evaluate(0.9, 1, t)).ToList();
        var after = policy.Evaluate(0.9, 1, 14);

        Assert.DoesNotContain(AlertTransition.Raise, during);
        Assert.Equal(AlertTransition.Raise, after);
    }

    [Fact]
    public void Cooldown_EndsWhenDeviceClockRestarts()
    {
        var policy = new AlertPolicy(Options(cooldown: 100));
        Feed(policy, 0.9, 0.9, 0.9, 0.1, 0.1);

        var transitions = new[] { 0.0, 1, 2 }.Select(t => policy.Evaluate(0.9, 1, t)).ToList();

        Assert.Equal(AlertTransition.Raise, transitions[^1]);
    }
}
