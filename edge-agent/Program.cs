using SsdEdge.EdgeAgent;
using SsdEdge.EdgeAgent.Bench;

if (args is ["bench", ..])
{
    return await BenchCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

return await AgentProgram.RunAsync(args, Console.Out, Console.Error);
