namespace SsdEdge;

/// <summary>Exception text fit for a user-facing message.</summary>
public static class ExceptionMessages
{
    /// <summary>
    /// Returns the message of <paramref name="error"/> without the decoration .NET appends to
    /// argument exceptions: the <c>(Parameter 'name')</c> suffix and the
    /// <c>Actual value was V.</c> line of <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public static string Plain(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        if (error is ArgumentOutOfRangeException { ActualValue: not null } && message.IndexOf('\n') is var newline and >= 0)
        {
            message = message[..newline].TrimEnd('\r');
        }

        if (error is ArgumentException { ParamName: { } parameter })
        {
            var suffix = $" (Parameter '{parameter}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal))
            {
                return message[..^suffix.Length];
            }
        }

        return message;
    }
}
