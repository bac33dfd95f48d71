return Layerwise.Cli.CliApp.Run(args, Console.Out, Console.Error);
