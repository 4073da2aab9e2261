namespace SsdEdge.Signals;

/// <summary>Physiological modality of one channel.</summary>
public enum ChannelKind
{
    /// <summary>Electrodermal activity (skin conductance), usually in µS.</summary>
    Eda,

    /// <summary>Electrocardiogram, usually in mV or raw ADC counts.</summary>
    Ecg,

    /// <summary>Electromyogram (raw or rectified envelope), usually in mV.</summary>
    Emg,

    /// <summary>Any other signal, such as a stimulus marker or respiration.</summary>
    Other,
}
