using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>RNN</c> base of <see cref="SimpleRNN"/> and <see cref="LSTM"/>: runs its cell over inputs
/// [batch, timesteps, features] from zero states, one step at a time with tensor ops (so autograd
/// trains it), and returns the last output [batch, units] or, with <see cref="ReturnSequences"/>,
/// every step's [batch, timesteps, units]. The weights belong to the cell, a sub-layer in the field
/// <c>cell</c>: that is where Keras 3 (<c>layers/lstm/cell/vars/0</c>) and TensorFlow checkpoints
/// (<c>layer_with_weights-0/cell/kernel</c>) keep them. The cell is named after its layer
/// (<c>lstm_cell</c> for <c>lstm</c>, as tf.keras names it in .h5 files: <c>lstm/lstm_cell/kernel:0</c>),
/// so weight paths stay unique and survive a save and load. Dropout masks are drawn once per sequence.
/// With a mask [batch, timesteps] (from <see cref="Embedding"/>'s <c>mask_zero</c> or <see cref="Masking"/>),
/// a masked step leaves the states as they were and outputs the previous step's output (zeros before
/// the first unmasked step), as Keras' <c>rnn</c> loop does; the time steps may be unknown (-1) when built.
/// </summary>
public abstract class RecurrentLayer : Layer
{
    private protected RecurrentLayer(bool returnSequences, bool returnState, bool goBackwards, bool stateful, bool unroll,
                                     long[]? inputShape, string? name, bool trainable)
        : base(name, trainable, inputShape)
    {
        // A Keras layer with return_state returns a list [output, h, (c)]; a Layerwise layer returns one tensor.
        if (returnState)
            throw new ArgumentException($"{GetType().Name} \"{Name}\": return_state=true (outputs plus final states) is not supported; " +
                                        "expected return_state=false.", nameof(returnState));
        if (stateful)
            throw new ArgumentException($"{GetType().Name} \"{Name}\": stateful=true (states carried across batches) is not supported; " +
                                        "expected stateful=false.", nameof(stateful));
        ReturnSequences = returnSequences;
        ReturnState = returnState;
        GoBackwards = goBackwards;
        Stateful = stateful;
        Unroll = unroll;
    }

    /// <summary>
    /// Whether to return the output of every time step (batch, steps, ...) rather than only the last one (Keras'
    /// <c>return_sequences</c>).
    /// </summary>
    public bool ReturnSequences { get; }
    /// <summary>
    /// Keras' <c>return_state</c>; only false is supported (true throws <see cref="ArgumentException"/>).
    /// </summary>
    public bool ReturnState { get; }
    /// <summary>Processes the sequence last step first; with <see cref="ReturnSequences"/> the outputs stay in that order, as in Keras.</summary>
    public bool GoBackwards { get; }
    /// <summary>
    /// Keras' <c>stateful</c> (states carried across batches); only false is supported (true throws
    /// <see cref="ArgumentException"/>).
    /// </summary>
    public bool Stateful { get; }
    /// <summary>Accepted for Keras compatibility; the loop is the same either way.</summary>
    public bool Unroll { get; }

    /// <summary>The cell that holds the weights and computes one step.</summary>
    protected abstract RecurrentCell Cell { get; }

    /// <summary>
    /// Keras' <c>zero_output_for_mask</c>: masked steps output zeros instead of the previous output.
    /// <see cref="Bidirectional"/> sets it when it returns sequences, as Keras does.
    /// </summary>
    internal bool ZeroOutputForMask { get; set; }

    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <summary>The mask goes on with the sequence (<see cref="ReturnSequences"/>); a last output has none.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => ReturnSequences ? mask : null;

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        // The number of steps may be unknown (-1: sequences of any length); the features must be known.
        if (inputShape.Length != 2 || inputShape[0] == 0)
            throw new IncompatibleShapeException(Name, "an input of rank 3 (batch, timesteps, features) with at least one step", [-1, .. inputShape]);
        Cell.EnsureBuilt([Dimensions.RequireKnown(inputShape, 1, Name, ClassName, "feature")]);
    }

    /// <inheritdoc/>
    protected override void CheckInputShape(long[] batchShape) => CheckSequenceShape(batchShape, Name);

    /// <summary>
    /// Any number of time steps is accepted; the features must be those the layer was built for. <paramref name="user"/>
    /// is the layer the message names: this one, or a wrapper (<see cref="Bidirectional"/>) that takes its inputs.
    /// </summary>
    internal virtual void CheckSequenceShape(long[] batchShape, string user)
    {
        long features = BuildInputShape![1];
        if (batchShape.Length != 3 || batchShape[1] == 0 || !Dimensions.Compatible(batchShape[2], features))
            throw new IncompatibleShapeException(user, $"shape (None, None, {features}) with at least one time step", batchShape);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => Call(inputs, null, training);

    /// <summary>The sequence run; <paramref name="mask"/> [batch, timesteps] (true: use the step) skips masked steps.</summary>
    public override Tensor Call(Tensor inputs, Tensor? mask, bool training = false)
    {
        using var scope = NewDisposeScope();
        var cell = Cell;
        long batch = inputs.size(0), steps = inputs.size(1);
        var x = GoBackwards ? inputs.flip(1) : inputs;
        // One input dropout mask per sequence: [batch, 1, features] (ConvLSTM: [batch, 1, spatial..., channels]).
        if (training && cell.Dropout > 0) x = x.mul(DropoutMask([batch, 1, .. inputs.shape[2..]], cell.Dropout, inputs));
        var projected = cell.ProjectInputs(x);
        // A state is a step's projection with units in place of gates·units: [batch, units] (ConvLSTM: [batch, spatial..., filters]).
        long[] stateShape = [.. projected.Sizes().Where((_, axis) => axis != 1)];
        stateShape[^1] = cell.Units;
        var recurrentMask = training && cell.RecurrentDropout > 0 ? DropoutMask(stateShape, cell.RecurrentDropout, inputs) : null;
        var states = Enumerable.Range(0, cell.StateCount).Select(_ => zeros(stateShape, inputs.dtype, inputs.device)).ToArray();
        // [batch, timesteps, 1, ...]: one flag per sample and step, broadcast over a state.
        var keep = mask is null ? null : TimestepMask(mask, inputs).reshape([batch, steps, .. Enumerable.Repeat(1L, stateShape.Length - 1)]);
        if (GoBackwards && keep is not null) keep = keep.flip(1);
        var output = states[0];
        var outputs = new List<Tensor>();
        for (long t = 0; t < steps; t++)
        {
            var next = cell.Step(projected.select(1, t), states, recurrentMask);
            if (keep is null)
            {
                states = next;
                output = next[0];
            }
            else
            {
                // Keras' masked rnn step: states carried over, output repeated (or zero) where the step is masked.
                var use = keep.select(1, t);
                states = [.. next.Zip(states, (n, s) => where(use, n, s))];
                output = where(use, next[0], ZeroOutputForMask ? zeros_like(next[0]) : output);
            }
            if (ReturnSequences) outputs.Add(output);
        }
        var result = ReturnSequences ? stack(outputs, 1) : output;
        return scope.MoveToOuter(result);
    }

    /// <summary>Ones with a fraction <paramref name="rate"/> zeroed and the rest scaled by 1/(1-rate).</summary>
    static Tensor DropoutMask(long[] shape, double rate, Tensor like) =>
        F.dropout(ones(shape, like.dtype, like.device), rate, training: true);

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        ReturnSequences ? [inputShape[0], Cell.Units] : [Cell.Units];
}
