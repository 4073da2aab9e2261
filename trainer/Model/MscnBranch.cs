using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>Layer sizes of one MSCN branch.</summary>
/// <param name="ConvKernel">Kernel of the first convolution.</param>
/// <param name="ConvStride">Stride of the first convolution.</param>
/// <param name="ConvPadding">Zero padding of the first convolution.</param>
/// <param name="Pool1Kernel">Kernel of the first max-pool.</param>
/// <param name="Pool1Stride">Stride of the first max-pool.</param>
/// <param name="Pool1Padding">Padding of the first max-pool.</param>
/// <param name="InnerKernel">Kernel of the second and third convolutions (stride 1).</param>
/// <param name="InnerPadding">Zero padding of the second and third convolutions.</param>
/// <param name="Pool2Kernel">Kernel of the last max-pool.</param>
/// <param name="Pool2Stride">Stride of the last max-pool.</param>
/// <param name="Pool2Padding">Padding of the last max-pool.</param>
internal readonly record struct MscnBranchShape(
    int ConvKernel,
    int ConvStride,
    int ConvPadding,
    int Pool1Kernel,
    int Pool1Stride,
    int Pool1Padding,
    int InnerKernel,
    int InnerPadding,
    int Pool2Kernel,
    int Pool2Stride,
    int Pool2Padding)
{
    public static MscnBranchShape Short { get; } = new(50, 6, 24, 8, 2, 4, 8, 4, 4, 4, 2);

    public static MscnBranchShape Medium { get; } = new(512, 42, 256, 4, 4, 0, 4, 3, 2, 2, 1);

    public static MscnBranchShape Long { get; } = new(1024, 84, 512, 8, 8, 0, 7, 3, 2, 2, 1);
}

/// <summary>
/// Factory for one MSCN branch as a <see cref="TorchSharp.Modules.Sequential"/>, so that its
/// state_dict indices match the reference: 0 conv, 1 BN, 4 dropout, 5 conv, 6 BN, 8 conv, 9 BN.
/// </summary>
internal static class MscnBranch
{
    private const int FirstChannels = 64;
    private const int InnerChannels = 128;

    public static TorchSharp.Modules.Sequential Create(int inputChannels, MscnBranchShape shape, double dropout)
    {
        return Sequential(
            Conv1d(
                inputChannels,
                FirstChannels,
                shape.ConvKernel,
                stride: shape.ConvStride,
                padding: shape.ConvPadding,
                bias: false),
            BatchNorm1d(FirstChannels),
            GELU(TorchSharp.Modules.GELU.Approximate.none),
            MaxPool1d(shape.Pool1Kernel, shape.Pool1Stride, shape.Pool1Padding),
            new GapDropout(dropout),
            Conv1d(FirstChannels, InnerChannels, shape.InnerKernel, padding: shape.InnerPadding, bias: false),
            BatchNorm1d(InnerChannels),
            GELU(TorchSharp.Modules.GELU.Approximate.none),
            Conv1d(InnerChannels, FirstChannels, shape.InnerKernel, padding: shape.InnerPadding, bias: false),
            BatchNorm1d(FirstChannels),
            GELU(TorchSharp.Modules.GELU.Approximate.none),
            MaxPool1d(shape.Pool2Kernel, shape.Pool2Stride, shape.Pool2Padding));
    }

    /// <summary>Returns the output length of a branch for an input of <paramref name="length"/> samples.</summary>
    public static int OutputLength(int length, MscnBranchShape shape)
    {
        var afterConv = LayerOutputLength(length, shape.ConvKernel, shape.ConvStride, shape.ConvPadding);
        var afterPool1 = LayerOutputLength(afterConv, shape.Pool1Kernel, shape.Pool1Stride, shape.Pool1Padding);
        var afterConv2 = LayerOutputLength(afterPool1, shape.InnerKernel, 1, shape.InnerPadding);
        var afterConv3 = LayerOutputLength(afterConv2, shape.InnerKernel, 1, shape.InnerPadding);
        return LayerOutputLength(afterConv3, shape.Pool2Kernel, shape.Pool2Stride, shape.Pool2Padding);
    }

    // Output length of a convolution or max-pool with dilation 1 and floor rounding.
    private static int LayerOutputLength(int length, int kernel, int stride, int padding)
    {
        if (length < 1)
        {
            return 0;
        }

        var span = length + (2 * padding) - kernel;
        return span < 0 ? 0 : (span / stride) + 1;
    }
}
