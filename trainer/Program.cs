Console.Error.WriteLine("ssdedge-trainer: commands are being built.");
return 1;
