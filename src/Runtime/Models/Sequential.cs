using Layerwise.Layers;
using static TorchSharp.torch;

namespace Layerwise.Models;

/// <summary>
/// Keras' <c>Sequential</c>: a stack of layers, each feeding the next. The input shape comes from
/// the first layer's <c>inputShape:</c>, from a leading <see cref="InputLayer"/>, or from the
/// first data the model sees.
/// </summary>
[ModelConfig(Module = "keras")]
public partial class Sequential : Model
{
    readonly List<Layer> layers = [];
    [NotTracked] InputLayer? inputLayer;
    long[]? inputShapeFromInputLayer;

    /// <summary>A stack of layers, each feeding the next (Keras' <c>keras.Sequential([...])</c>).</summary>
    /// <param name="layers">The layers, in order; an <see cref="InputLayer"/> first sets the input shape.</param>
    public Sequential(params Layer[] layers) : this(layers, name: null) { }

    /// <param name="layers">The layers, in order; a model among them acts as one layer (transfer learning, composition).</param>
    /// <param name="name">The model's name; by default <c>sequential</c>, <c>sequential_1</c>, ...</param>
    /// <param name="trainable">False freezes every layer given (Keras' <c>trainable</c> in a Sequential's config, which a nested frozen model writes).</param>
    public Sequential([ConfigSource(nameof(ConfigLayers))] IEnumerable<Layer> layers, string? name = null, bool trainable = true) : base(name)
    {
        foreach (var layer in layers) Add(layer);
        if (!trainable) Trainable = false;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Layer> Layers => layers;

    /// <summary>The layers as the config lists them: a leading <see cref="InputLayer"/> when one was added, as Keras 3 writes it.</summary>
    IEnumerable<Layer> ConfigLayers => inputLayer is null ? layers : [inputLayer, .. layers];

    /// <summary>Appends a layer (Keras' <c>model.add</c>).</summary>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is InputLayer input)
        {
            if (layers.Count > 0)
                throw new ArgumentException($"An InputLayer must come first in Sequential \"{Name}\"; it already has {layers.Count} layer(s).", nameof(layer));
            inputShapeFromInputLayer = input.Shape.ToArray();
            inputLayer = input;
            return;
        }
        if (layer is Model nested) nested.RequireOneInputAndOutputAsLayer();
        if (layers.Any(l => l.Name == layer.Name))
            throw new ArgumentException($"All layers added to Sequential \"{Name}\" must have unique names; \"{layer.Name}\" is already there.", nameof(layer));
        layers.Add(TrackLayer(layer));
        BuildAsFarAsKnown(layer);
    }

    /// <summary>
    /// As in Keras, a Sequential whose input shape is known is built as layers are added, so its
    /// weights and parameter counts exist before any data is seen.
    /// </summary>
    void BuildAsFarAsKnown(Layer added)
    {
        var inputShape = InputShape;
        if (inputShape is null) return;
        if (!Built)
        {
            EnsureBuilt(inputShape);
            return;
        }
        var shape = layers.Take(layers.Count - 1).Aggregate(inputShape, (s, l) => l.ComputeOutputShape(s));
        added.EnsureBuilt(shape);
    }

    private protected override long[]? DeclaredInputShapeOrFirstLayer() =>
        inputShapeFromInputLayer ?? layers.FirstOrDefault() switch
        {
            // A nested model (transfer learning: new Sequential(baseModel, head)) knows its input from its own layers or Keras.Input.
            Model inner => inner.KnownInputShape,
            var first => first?.DeclaredInputShape,
        };

    /// <summary>The per-sample input shape, when known before data is seen.</summary>
    public long[]? InputShape => BuildInputShape ?? DeclaredInputShapeOrFirstLayer();

    /// <inheritdoc/>
    protected override void Build(long[] inputShape)
    {
        if (layers.Count == 0) throw new InvalidOperationException($"Sequential \"{Name}\" has no layers to build.");
        var shape = inputShape;
        foreach (var layer in layers)
        {
            layer.EnsureBuilt(shape);
            shape = layer.ComputeOutputShape(shape);
        }
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training = false) => CallWithMask(inputs, null, training).Output;

    private protected override (Tensor[] Outputs, Tensor?[] Masks) CallAllWithMasks(IReadOnlyList<Tensor> inputs, bool training)
    {
        var (output, mask) = CallWithMask(inputs[0], null, training);
        return ([output], [mask]);
    }

    /// <summary>Each layer in turn, the mask carried beside the tensor (Keras' <c>_keras_mask</c>).</summary>
    private protected override (Tensor Output, Tensor? Mask) CallWithMask(Tensor inputs, Tensor? mask, bool training)
    {
        var h = inputs;
        for (int i = 0; i < layers.Count; i++)
        {
            // Convolutions and pooling one after the other, predicting: one permute in and one out for the whole run.
            int run = mask is null ? ChannelsFirstRun.Length(layers, i) : 0;
            if (run > 0 && ChannelsFirstRun.Call(layers, i, run, h) is { } output)
            {
                h = output;
                i += run - 1;
                continue;
            }
            (h, mask) = layers[i].InvokeWithMask(h, mask, training);
        }
        return (h, mask);
    }

    /// <inheritdoc/>
    public override long[] ComputeOutputShape(long[] inputShape) =>
        layers.Aggregate(inputShape, (shape, layer) => layer.ComputeOutputShape(shape));
}
