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
    /// <remarks>
    /// The dropout mask comes from <see cref="HashedDropout"/> for float32 CPU weights and from
    /// <see cref="DropoutPositions"/> otherwise, not from <c>functional.dropout</c>: the
    /// distribution is the same, the random stream is not.
    /// </remarks>
    public Tensor Attend(Tensor weights, Tensor values)
    {
        if (!training || _dropout == 0)
        {
            return WeightValues(weights, values);
        }

        if (HashedDropout.Supports(weights))
        {
            using var hashed = HashedDropout.Apply(weights, _dropout, HashedDropout.DrawSeed());
            return WeightValues(hashed, values);
        }

        using var dropped = weights.mul(1 / (1 - _dropout));
        DropoutPositions.ZeroInPlace(dropped, _dropout);
        return WeightValues(dropped, values);
    }

    /// <summary>
    /// Computes <see cref="Attend"/> on <paramref name="passes"/> copies of
    /// <paramref name="weights"/> and <paramref name="values"/> stacked along the batch axis,
    /// copy-major, without copying the inputs first: (passes × B, Lq, E). With the same seed
    /// the result equals <see cref="Attend"/> on the stacked copies.
    /// </summary>
    public Tensor AttendPasses(Tensor weights, Tensor values, int passes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        if (!training || _dropout == 0)
        {
            // Every copy gives the same output, so one is computed and copied.
            using var once = WeightValues(weights, values);
            return once.repeat(passes, 1, 1);
        }

        using var scope = NewDisposeScope();
        var contexts = new Tensor[passes];
        if (HashedDropout.Supports(weights) && !(weights.requires_grad && is_grad_enabled()))
        {
            // One seed for all passes, as Attend draws it for the stacked copies. Pass p numbers
            // its elements from p times the elements of one copy, so the masks are the same. Each
            // pass writes into one buffer that is still in cache when the product reads it.
            var seed = HashedDropout.DrawSeed();
            var source = weights.contiguous();
            var buffer = empty_like(source);
            for (var pass = 0; pass < passes; pass++)
            {
                HashedDropout.Write(source, buffer, _dropout, seed, pass * source.numel());
                contexts[pass] = buffer.matmul(values);
            }

            return MergeAndProject(cat(contexts, 0)).MoveToOuterDisposeScope();
        }

        // One draw of the zeroed positions over all passes, as Attend draws them on the stacked
        // copies. Each pass then copies the scaled weights into one buffer, zeroes its positions
        // and multiplies, so that the buffer is still in cache when the product reads it.
        var scaled = weights.mul(1 / (1 - _dropout)).contiguous();
        var perPass = scaled.numel();
        var positions = DropoutPositions.Draw(perPass * passes, _dropout, scaled.device);
        var starts = arange(0, passes + 1, ScalarType.Int64, positions.device).mul_(perPass);
        var bounds = searchsorted(positions, starts).cpu().data<long>().ToArray();
        var copy = empty_like(scaled);
        var flatCopy = copy.view(-1);
        for (var pass = 0; pass < passes; pass++)
        {
            copy.copy_(scaled);
            using var local = positions.narrow(0, bounds[pass], bounds[pass + 1] - bounds[pass]).sub(pass * perPass);
            flatCopy.index_fill_(0, local, 0);
            contexts[pass] = copy.matmul(values);
        }

        var context = cat(contexts, 0);
        return MergeAndProject(context).MoveToOuterDisposeScope();
    }

    // Weighted values, merged heads and the output projection.
    private Tensor WeightValues(Tensor weights, Tensor values)
    {
        using var context = weights.matmul(values);
        return MergeAndProject(context);
    }

    // (B, heads, Lq, E / heads) to (B, Lq, E), then the output projection.
    private Tensor MergeAndProject(Tensor context)
    {
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
