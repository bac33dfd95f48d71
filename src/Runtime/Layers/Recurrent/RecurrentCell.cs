using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// One time step of a recurrent layer (Keras' <c>SimpleRNNCell</c>, <c>LSTMCell</c>): holds the
/// weights; <see cref="RecurrentLayer"/> runs it over the sequence. The input projection
/// (<c>x · kernel + bias</c>) is done for all steps at once, the recurrent part step by step.
/// </summary>
public abstract class RecurrentCell : Layer
{
    private protected RecurrentCell(int units, double dropout, double recurrentDropout, string? name, bool trainable)
        : base(name, trainable)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, $"{GetType().Name} needs a positive number of units.");
        Units = units;
        Dropout = CheckRate(dropout, nameof(dropout));
        RecurrentDropout = CheckRate(recurrentDropout, nameof(recurrentDropout));
    }

    /// <summary>Size of the output (and of each state).</summary>
    public int Units { get; }

    /// <summary>Fraction of the inputs dropped in training (one mask per sequence, as Keras).</summary>
    public double Dropout { get; }

    /// <summary>Fraction of the recurrent state dropped in training before the recurrent kernel.</summary>
    public double RecurrentDropout { get; }

    static double CheckRate(double rate, string parameter) =>
        rate is >= 0 and < 1 ? rate : throw new ArgumentOutOfRangeException(parameter, rate, "A dropout rate must be in [0, 1).");

    /// <summary>Number of state tensors carried between steps (1: h; LSTM 2: h and c).</summary>
    internal abstract int StateCount { get; }

    /// <summary><c>inputs · kernel + bias</c> for inputs [..., features]: [..., gates·units].</summary>
    internal abstract Tensor ProjectInputs(Tensor inputs);

    /// <summary>
    /// The states after one step, from the step's projected input [batch, gates·units] and the states
    /// before it (each [batch, units]); the first state is the step's output. <paramref name="recurrentMask"/>
    /// (recurrent dropout, training only) multiplies h before the recurrent kernel.
    /// </summary>
    internal abstract Tensor[] Step(Tensor projected, Tensor[] states, Tensor? recurrentMask);

    /// <summary>The number of input features, checked: a cell's per-sample input shape is [features], known.</summary>
    private protected long InputFeatures(long[] inputShape) =>
        inputShape.Length == 1 ? Dimensions.RequireKnown(inputShape, 0, Name, ClassName, "feature")
            : throw new IncompatibleShapeException(Name, "an input of rank 2 (batch, features)", [-1, .. inputShape]);

    /// <summary>One step from zero states on inputs [batch, features]; returns the output h.</summary>
    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var scope = NewDisposeScope();
        var projected = ProjectInputs(inputs);
        long[] stateShape = projected.Sizes();
        stateShape[^1] = Units;
        var states = Enumerable.Range(0, StateCount).Select(_ => zeros(stateShape, inputs.dtype, inputs.device)).ToArray();
        var next = Step(projected, states, null);
        return scope.MoveToOuter(next[0]);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) => [Units];
}
