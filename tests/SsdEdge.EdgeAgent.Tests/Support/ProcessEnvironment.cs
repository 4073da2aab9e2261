namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>Names the test collection of classes that read or set <c>SSDEDGE_</c> environment
/// variables, which are shared by the whole process, so that their tests never run at once.</summary>
public static class ProcessEnvironment
{
    public const string Collection = "Process environment";
}
