using Layerwise;
using Layerwise.Layers;
using Layerwise.Models;
using static TorchSharp.torch;

namespace CustomLayers;

/// <summary>
/// A subclassed model ([ModelConfig]): its constructor arguments are its config, its sub-layers are
/// fields. The generator tracks the fields, so their weights are the model's (Compile/Fit work as for
/// Sequential) and file formats find them by field name.
/// </summary>
[ModelConfig]
public partial class DigitClassifier : Model
{
    readonly Dense hidden;
    readonly Antirectifier antirectifier;
    readonly Dropout dropout;
    readonly Dense logits;

    public DigitClassifier(int hiddenUnits = 64, int classes = 10, double dropoutRate = 0.1, string? name = null) : base(name)
    {
        HiddenUnits = hiddenUnits;
        Classes = classes;
        DropoutRate = dropoutRate;
        hidden = new Dense(hiddenUnits, activation: "relu");
        antirectifier = new Antirectifier(hiddenUnits);
        dropout = new Dropout(dropoutRate);
        logits = new Dense(classes);
    }

    public int HiddenUnits { get; }
    public int Classes { get; }
    public double DropoutRate { get; }

    public override Tensor Call(Tensor inputs, bool training = false)
    {
        using var h = hidden.Invoke(inputs, training);
        using var a = antirectifier.Invoke(h, training);
        using var d = dropout.Invoke(a, training);
        return logits.Invoke(d, training);
    }
}
