Console.Error.WriteLine("ssdedge-agent: the host is being built.");
return 1;
