namespace Infra.Torch.Tests.Reference;

/// <summary>
/// The few dense operations the reference decoder needs, as plain loops in double precision.
/// Written for reading, not speed: every loop index is named after the tensor axis it walks.
/// </summary>
public static class ReferenceMath
{
    /// <summary>
    /// <c>y = x W^T + b</c> as torch's <c>nn.Linear</c>: <paramref name="weight"/> is row-major
    /// <c>[dOut, dIn]</c>, <paramref name="x"/> is <c>[T, dIn]</c>, the result is <c>[T, dOut]</c>.
    /// </summary>
    public static double[,] Linear(double[,] x, double[] weight, int dOut, double[]? bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        int tokens = x.GetLength(0), dIn = x.GetLength(1);
        if (weight.Length != dOut * dIn)
            throw new ArgumentException($"weight has {weight.Length} elements, expected {dOut}x{dIn}", nameof(weight));
        if (bias is not null && bias.Length != dOut)
            throw new ArgumentException($"bias has {bias.Length} elements, expected {dOut}", nameof(bias));

        var y = new double[tokens, dOut];
        for (var t = 0; t < tokens; t++)
        {
            for (var o = 0; o < dOut; o++)
            {
                var sum = bias?[o] ?? 0.0;
                for (var i = 0; i < dIn; i++)
                    sum += x[t, i] * weight[(o * dIn) + i];
                y[t, o] = sum;
            }
        }
        return y;
    }

    /// <summary>
    /// HF <c>Qwen2RMSNorm</c> / <c>LlamaRMSNorm</c> on each row: <c>w * x / sqrt(mean(x^2) + eps)</c>.
    /// </summary>
    public static double[,] RmsNorm(double[,] x, double[] weight, double eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        int tokens = x.GetLength(0), hidden = x.GetLength(1);
        if (weight.Length != hidden)
            throw new ArgumentException($"norm weight has {weight.Length} elements, expected {hidden}", nameof(weight));

        var y = new double[tokens, hidden];
        for (var t = 0; t < tokens; t++)
        {
            var sumSquares = 0.0;
            for (var i = 0; i < hidden; i++)
                sumSquares += x[t, i] * x[t, i];
            var inverseRms = 1.0 / Math.Sqrt((sumSquares / hidden) + eps);
            for (var i = 0; i < hidden; i++)
                y[t, i] = weight[i] * (x[t, i] * inverseRms);
        }
        return y;
    }

    /// <summary>Element-wise sum of two equally shaped matrices (the residual connection).</summary>
    public static double[,] Add(double[,] a, double[,] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int rows = a.GetLength(0), cols = a.GetLength(1);
        if (b.GetLength(0) != rows || b.GetLength(1) != cols)
            throw new ArgumentException("shapes differ", nameof(b));
        var y = new double[rows, cols];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
                y[r, c] = a[r, c] + b[r, c];
        }
        return y;
    }

    /// <summary>SiLU (swish): <c>z / (1 + exp(-z))</c>.</summary>
    public static double Silu(double z) => z / (1.0 + Math.Exp(-z));

    /// <summary>Softmax of a vector, shifted by its maximum so that large scores do not overflow.</summary>
    public static double[] Softmax(ReadOnlySpan<double> scores)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores)
            max = Math.Max(max, s);
        var p = new double[scores.Length];
        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            p[i] = Math.Exp(scores[i] - max);
            sum += p[i];
        }
        for (var i = 0; i < p.Length; i++)
            p[i] /= sum;
        return p;
    }

    /// <summary><c>log softmax(logits)[index]</c>, computed as <c>logits[index] - logsumexp(logits)</c>.</summary>
    public static double LogSoftmaxAt(ReadOnlySpan<double> logits, int index)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits)
            max = Math.Max(max, l);
        var sum = 0.0;
        foreach (var l in logits)
            sum += Math.Exp(l - max);
        return logits[index] - (max + Math.Log(sum));
    }

    /// <summary>Copies row <paramref name="row"/> of <paramref name="m"/>.</summary>
    public static double[] Row(double[,] m, int row)
    {
        ArgumentNullException.ThrowIfNull(m);
        var r = new double[m.GetLength(1)];
        for (var c = 0; c < r.Length; c++)
            r[c] = m[row, c];
        return r;
    }
}
