using System.Collections.Concurrent;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>Devices that produced a window, for Home Assistant discovery.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class DeviceRegistry
{
    private readonly ConcurrentDictionary<string, byte> _devices = new(StringComparer.Ordinal);

    /// <summary>Raised once per new device.</summary>
    public event Action<string>? DeviceAdded;

    /// <summary>Adds a device; returns false when it was known.</summary>
    public bool Add(string deviceId)
    {
        if (!_devices.TryAdd(deviceId, 0))
        {
            return false;
        }

        DeviceAdded?.Invoke(deviceId);
        return true;
    }

    /// <summary>Every known device, in ordinal order.</summary>
    public IReadOnlyList<string> Devices() => _devices.Keys.Order(StringComparer.Ordinal).ToList();
}
