using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SsdEdge.EdgeAgent.Alerts;

/// <summary>
/// Reads one configuration section into an options object, key by key, and records a message for
/// each unknown key and each value that is not of the setting's type instead of throwing.
/// </summary>
/// <remarks>
/// The configuration binder throws on a non-number with a message that names a .NET type, while the
/// agent reports every bad setting by its key, value and allowed range. The options validators
/// report the recorded messages with their own.
/// </remarks>
internal sealed class SettingsBinder
{
    private readonly IConfigurationSection _section;
    private readonly List<string> _failures;
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);

    public SettingsBinder(IConfigurationSection section, List<string> failures)
    {
        _section = section;
        _failures = failures;
    }

    public void Double(string key, string allowed, Action<double> set)
    {
        var text = Read(key);
        if (text is null)
        {
            return;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            set(value);
        }
        else
        {
            _failures.Add($"{_section.Path}:{key} = '{text}' is not a number; use {allowed}.");
        }
    }

    public void Int(string key, string allowed, Action<int> set)
    {
        var text = Read(key);
        if (text is null)
        {
            return;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            set(value);
        }
        else
        {
            _failures.Add($"{_section.Path}:{key} = '{text}' is not a whole number; use {allowed}.");
        }
    }

    public void Bool(string key, Action<bool> set)
    {
        var text = Read(key);
        if (text is null)
        {
            return;
        }

        if (bool.TryParse(text, out var value))
        {
            set(value);
        }
        else
        {
            _failures.Add($"{_section.Path}:{key} = '{text}' is not a boolean; use true or false.");
        }
    }

    public void String(string key, Action<string> set)
    {
        var text = Read(key);
        if (text is not null)
        {
            set(text);
        }
    }

    /// <summary>Marks a subsection as known so that <see cref="ReportUnknownKeys"/> skips it.</summary>
    public void Subsection(string key) => _known.Add(key);

    /// <summary>Records a message for each key of the section that no reader asked for.</summary>
    public void ReportUnknownKeys()
    {
        foreach (var child in _section.GetChildren())
        {
            if (!_known.Contains(child.Key))
            {
                var known = string.Join(", ", _known.Order(StringComparer.Ordinal));
                _failures.Add($"{child.Path} is not a setting; the settings of {_section.Path} are {known}.");
            }
        }
    }

    private string? Read(string key)
    {
        _known.Add(key);
        var value = _section[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
