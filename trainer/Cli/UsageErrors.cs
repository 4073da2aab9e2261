using System.CommandLine;
using System.CommandLine.Parsing;

namespace SsdEdge.Trainer.Cli;

/// <summary>
/// Reports the parse errors of a command line in one line each, with a hint to --help, in place
/// of System.CommandLine's default of the errors followed by the whole help.
/// </summary>
public static class UsageErrors
{
    /// <summary>
    /// Writes <paramref name="result"/>'s errors to <paramref name="error"/> and returns
    /// <see cref="ExitCodes.InvalidUsage"/>, or returns null when the command line parsed and
    /// should run. A request for help runs even when other tokens are invalid.
    /// </summary>
    public static int? Report(ParseResult result, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(error);
        if (result.Errors.Count == 0 || result.Tokens.Any(token => token.Value is "--help" or "-h" or "-?"))
        {
            return null;
        }

        foreach (var parseError in result.Errors)
        {
            error.WriteLine($"ssdedge-trainer: error: {Describe(parseError)}");
        }

        var command = string.Join(" ", result.CommandResult.Command.Parents
            .OfType<Command>()
            .Reverse()
            .Skip(1)
            .Append(result.CommandResult.Command)
            .Select(command => command.Name));
        var help = result.CommandResult.Command is RootCommand ? "ssdedge-trainer --help" : $"ssdedge-trainer {command} --help";
        error.WriteLine($"Run '{help}' to see the options.");
        return ExitCodes.InvalidUsage;
    }

    // A value that does not convert gets the option, the value and the expected form; other
    // errors (unknown options, missing required ones) keep System.CommandLine's message.
    private static string Describe(ParseError parseError)
    {
        var option = parseError.SymbolResult switch
        {
            OptionResult result => result,
            ArgumentResult { Parent: OptionResult result } => result,
            _ => null,
        };
        var tokens = parseError.SymbolResult?.Tokens ?? [];
        if (option is not null
            && tokens.Count > 0
            && parseError.Message.Contains("as expected type", StringComparison.Ordinal))
        {
            var value = string.Join(" ", tokens.Select(token => token.Value));
            return $"{option.Option.Name}: '{value}' is not {ExpectedForm(option.Option.ValueType)}.";
        }

        return parseError.Message;
    }

    private static string ExpectedForm(Type type)
    {
        var valueType = Nullable.GetUnderlyingType(type) ?? type;
        if (valueType == typeof(int) || valueType == typeof(long))
        {
            return "a whole number";
        }

        if (valueType == typeof(double) || valueType == typeof(float))
        {
            return "a number (such as 0.5)";
        }

        return valueType == typeof(bool) ? "true or false" : $"a valid {valueType.Name} value";
    }
}
