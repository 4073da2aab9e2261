namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>The system clock, counting the timers created through it (each <c>Task.Delay</c> makes one).</summary>
public sealed class CountingTimeProvider : TimeProvider
{
    private int _timersCreated;

    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timersCreated);
        return System.CreateTimer(callback, state, dueTime, period);
    }
}
