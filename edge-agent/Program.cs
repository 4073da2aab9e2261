using SsdEdge.EdgeAgent;

return await AgentProgram.RunAsync(args, Console.Out, Console.Error);
