using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SsdEdge.Trainer.Model;

/// <summary>
/// Multi-head scaled dot-product attention with PyTorch's <c>nn.MultiheadAttention</c> parameter
/// layout and numerics (batch first): one packed <c>in_proj_weight</c> (3E × E) and
/// <c>in_proj_bias</c> for query, key and value, then <c>out_proj</c>. Dropout on the attention
/// weights applies while this module is in training mode.
/// </summary>
internal sealed class MultiHeadAttention : Module<Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "in_proj_weight")]
    private readonly Parameter _inProjWeight;

    [ComponentName(Name = "in_proj_bias")]
    private readonly Parameter _inProjBias;

    [ComponentName(Name = "out_proj")]
    private readonly Linear _outProj;

    private readonly int _embedding;
    private readonly int _heads;
    private double _dropout;

    public MultiHeadAttention(int embedding, int heads, double dropout)
        : base(nameof(MultiHeadAttention))
    {
        _embedding = embedding;
        _heads = heads;
        _dropout = dropout;
        _inProjWeight = Parameter(empty(3 * embedding, embedding));
        _inProjBias = Parameter(zeros(3 * embedding));
        _outProj = Linear(embedding, embedding);

        // PyTorch's initialisation: Xavier-uniform packed projection, zero biases.
        using (no_grad())
        {
            init.xavier_uniform_(_inProjWeight);
            _outProj.bias!.zero_();
        }

        RegisterComponents();
    }

    /// <summary>Dropout rate on the attention weights in training mode, from 0 up to but not including 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1).</exception>
    public double DropoutRate
    {
        get => _dropout;
        set
        {
            if (!(value >= 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Attention dropout must lie in [0, 1).");
            }

            _dropout = value;
        }
    }

    /// <summary>
    /// Attends from <paramref name="query"/> over <paramref name="key"/> and <paramref name="value"/>.
    /// </summary>
    /// <param name="query">(B, Lq, E).</param>
    /// <param name="key">(B, Lk, E).</param>
    /// <param name="value">(B, Lk, E).</param>
    /// <returns>(B, Lq, E).</returns>
    public override Tensor forward(Tensor query, Tensor key, Tensor value)
    {
        var (weights, values) = Weights(query, key, value);
        using (weights)
        using (values)
        {
            return Attend(weights, values);
        }
    }

    /// <summary>
    /// The deterministic part of <see cref="forward"/>: softmax attention weights
    /// (B, heads, Lq, Lk) and projected values (B, heads, Lk, E / heads).
    /// </summary>
    public (Tensor Weights, Tensor Values) Weights(Tensor query, Tensor key, Tensor value)
    {
        var headSize = _embedding / _heads;
        using var q = Project(query, 0);
        using var k = Project(key, 1);
        var v = Project(value, 2);

        using var scaledQ = q / Math.Sqrt(headSize);
        using var kTransposed = k.transpose(-2, -1);
        using var scores = scaledQ.matmul(kTransposed);
        return (functional.softmax(scores, -1), v);
    }

    /// <summary>
    /// The rest of <see cref="forward"/>: dropout on <paramref name="weights"/> in training
    /// mode, the weighted values, merged heads and the output projection: (B, Lq, E).
    /// </summary>
    public Tensor Attend(Tensor weights, Tensor values)
    {
        using var dropped = functional.dropout(weights, _dropout, training);
        using var context = dropped.matmul(values);
        var batch = context.shape[0];
        var length = context.shape[2];
        using var merged = context.transpose(1, 2).reshape(batch, length, _embedding);
        return _outProj.forward(merged);
    }

    // Applies the query (0), key (1) or value (2) rows of the packed projection and splits the
    // result into heads: (B, L, E) -> (B, heads, L, E / heads).
    private Tensor Project(Tensor input, int part)
    {
        using var weight = _inProjWeight.narrow(0, part * _embedding, _embedding);
        using var bias = _inProjBias.narrow(0, part * _embedding, _embedding);
        using var projected = functional.linear(input, weight, bias);
        var batch = projected.shape[0];
        var length = projected.shape[1];
        using var split = projected.reshape(batch, length, _heads, _embedding / _heads);
        return split.transpose(1, 2);
    }
}
