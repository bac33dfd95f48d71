namespace Layerwise.Formats.Checkpoint;

/// <summary>
/// One tensor a checkpoint holds, as its index describes it (TensorFlow's <c>tf.train.list_variables</c>
/// gives the key and shape): <see cref="Key"/> is the bundle key
/// (<c>layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE</c>), <see cref="DataType"/> its TensorFlow
/// type, <see cref="Shape"/> its dimensions (empty for a scalar).
/// </summary>
public sealed record CheckpointVariable(string Key, TensorDataType DataType, long[] Shape)
{
    /// <summary>TensorFlow's name of the type: <c>float32</c>, <c>int64</c>, <c>string</c>.</summary>
    public string DataTypeName => TensorDataTypes.Name(DataType);

    /// <inheritdoc/>
    public override string ToString() => $"{Key} {DataTypeName} {ShapeText.Format(Shape)}";
}
