namespace SsdEdge.Trainer.Export;

/// <summary>
/// An ONNX export that cannot be written or that fails its parity check. Causes are a state dict
/// that does not match the configuration, a contract that does not match the model, or outputs
/// that differ from the reference implementation by more than the tolerance.
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the exception with a message that names the value at fault.</summary>
    public OnnxExportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an underlying cause.</summary>
    public OnnxExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public OnnxExportException()
        : base("The ONNX export failed.")
    {
    }
}
