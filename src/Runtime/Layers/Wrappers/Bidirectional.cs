using Layerwise.Serialization;
using static TorchSharp.torch;

namespace Layerwise.Layers;

/// <summary>
/// Keras' <c>Bidirectional</c>: runs a recurrent layer over the sequence forwards and a copy of it
/// backwards (<c>go_backwards</c> flipped), then merges the two outputs (<see cref="MergeMode"/>
/// <c>concat</c>, <c>sum</c>, <c>mul</c> or <c>ave</c>); with <c>return_sequences</c> the backward
/// outputs are put back in time order first. As Keras does, both directions are rebuilt from the wrapped
/// layer's config, named <c>forward_&lt;name&gt;</c> and <c>backward_&lt;name&gt;</c> (or the backward
/// direction is <c>backward_layer</c> as given). They are tracked sub-layers in the fields
/// <c>forward_layer</c> and <c>backward_layer</c>, the paths Keras 3
/// (<c>layers/bidirectional/forward_layer/cell/vars/0</c>) and TensorFlow checkpoints
/// (<c>layer_with_weights-0/forward_layer/cell/kernel</c>) use; weights are the forward ones, then the
/// backward ones, as Keras 2 .h5 files list them. The config's <c>layer</c> is the forward layer's
/// config and <c>backward_layer</c> the backward one's (Keras 3; Keras 2 configs without it load).
/// A mask [batch, timesteps] goes to both directions; masked steps of returned sequences are zeros.
/// <c>merge_mode=None</c> (two outputs) and <c>return_state</c> are not supported.
/// </summary>
[Layer(Module = "keras.layers")]
public partial class Bidirectional : Layer
{
    static readonly string[] MergeModes = ["concat", "sum", "mul", "ave"];

    readonly RecurrentLayer forwardLayer;
    readonly RecurrentLayer backwardLayer;

    /// <summary>Creates the layer with Keras' arguments and defaults (<c>keras.layers.Bidirectional</c>).</summary>
    /// <param name="layer">The recurrent layer to run both ways (Keras' <c>layer</c>); the forward and backward
    /// directions are rebuilt from its config.</param>
    /// <param name="mergeMode">How the two outputs are combined (Keras' <c>merge_mode</c>): <c>concat</c>, <c>sum</c>,
    /// <c>mul</c> or <c>ave</c>.</param>
    /// <param name="backwardLayer">The backward direction, if it differs (Keras' <c>backward_layer</c>). Null: a copy
    /// of <paramref name="layer"/> with <c>go_backwards</c> flipped.</param>
    /// <param name="inputShape">Per-sample input shape (batch left out; -1 for an unknown dimension), Keras'
    /// <c>input_shape</c>: lets a model build this layer before the first call. Null: built from the first
    /// input.</param>
    /// <param name="name">Layer name (Keras' <c>name</c>), unique within a model; weight paths in saved files start
    /// with it. Null: Keras' automatic name (snake_case class name plus a counter, e.g. <c>dense_1</c>).</param>
    /// <param name="trainable">Whether training updates this layer's weights (Keras' <c>trainable</c>).</param>
    public Bidirectional([ConfigSource(nameof(ForwardLayer))] RecurrentLayer layer, string? mergeMode = "concat", RecurrentLayer? backwardLayer = null,
                         long[]? inputShape = null, string? name = null, bool trainable = true)
        : base(name, trainable, inputShape ?? layer?.DeclaredInputShape)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (mergeMode is null || !MergeModes.Contains(mergeMode))
            throw new ArgumentException($"Bidirectional \"{Name}\": merge_mode={mergeMode ?? "None"} is not supported; expected one of " +
                                        $"{string.Join(", ", MergeModes)} (None, which returns the two outputs apart, is not supported).", nameof(mergeMode));
        MergeMode = mergeMode;
        forwardLayer = Recreate(layer, "forward_", flipGoBackwards: false);
        this.backwardLayer = backwardLayer ?? Recreate(layer, "backward_", flipGoBackwards: true);
        if (forwardLayer.GoBackwards == this.backwardLayer.GoBackwards)
            throw new ArgumentException($"Bidirectional \"{Name}\": the forward layer and the backward layer should have different go_backwards values; " +
                                        $"both have go_backwards={forwardLayer.GoBackwards}.", nameof(backwardLayer));
        if (forwardLayer.ReturnSequences != this.backwardLayer.ReturnSequences)
            throw new ArgumentException($"Bidirectional \"{Name}\": the forward layer has return_sequences={forwardLayer.ReturnSequences} but the backward " +
                                        $"layer {this.backwardLayer.ReturnSequences}; expected the same value.", nameof(backwardLayer));
        // Keras' force_zero_output_for_mask: padded steps of returned sequences are zeros in both directions.
        forwardLayer.ZeroOutputForMask = this.backwardLayer.ZeroOutputForMask = ReturnSequences;
    }

    /// <summary>The forward direction; the config's <c>layer</c>.</summary>
    public RecurrentLayer ForwardLayer => forwardLayer;

    /// <summary>The backward direction (<c>go_backwards</c> opposite to the forward one's).</summary>
    public RecurrentLayer BackwardLayer => backwardLayer;

    /// <summary>How the two directions' outputs are combined: <c>concat</c> (last axis), <c>sum</c>, <c>mul</c>, <c>ave</c>.</summary>
    public string MergeMode { get; }

    /// <summary>Whether the wrapped layer returns every step (then so does this).</summary>
    public bool ReturnSequences => forwardLayer.ReturnSequences;

    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <summary>A copy of <paramref name="layer"/> from its config, as Keras' <c>_recreate_layer_from_config</c>.</summary>
    static RecurrentLayer Recreate(RecurrentLayer layer, string prefix, bool flipGoBackwards)
    {
        var serialized = LayerRegistry.Serialize(layer);
        var config = (System.Text.Json.Nodes.JsonObject)serialized["config"]!;
        var baseName = layer.Name.StartsWith(prefix, StringComparison.Ordinal) ? layer.Name[prefix.Length..] : layer.Name;
        config["name"] = prefix + baseName;
        if (flipGoBackwards) config["go_backwards"] = !layer.GoBackwards;
        return LayerRegistry.Deserialize<RecurrentLayer>(serialized, "Bidirectional.layer");
    }

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        forwardLayer.EnsureBuilt(inputShape);
        backwardLayer.EnsureBuilt(inputShape);
    }

    /// <summary>As the wrapped recurrent layer checks its own inputs (LSTM: [steps, features]; ConvLSTM: [steps, spatial..., channels]).</summary>
    protected override void CheckInputShape(long[] batchShape) => forwardLayer.CheckSequenceShape(batchShape, Name);

    /// <summary>The mask goes on with returned sequences; a last output has none.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => ReturnSequences ? mask : null;

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => Call(inputs, null, training);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, Tensor? mask, bool training = false)
    {
        using var scope = NewDisposeScope();
        var forward = forwardLayer.Call(inputs, mask, training);
        var backward = backwardLayer.Call(inputs, mask, training);
        // The backward layer returns its steps last first; put them back in time order.
        if (ReturnSequences) backward = backward.flip(1);
        var merged = MergeMode switch
        {
            "concat" => cat([forward, backward], -1),
            "sum" => forward.add(backward),
            "mul" => forward.mul(backward),
            _ => forward.add(backward).div(2),
        };
        return scope.MoveToOuter(merged);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape)
    {
        var shape = forwardLayer.ComputeOutputShape(inputShape);
        if (MergeMode == "concat") shape[^1] *= 2;
        return shape;
    }
}
