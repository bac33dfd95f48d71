namespace Layerwise.Layers;

public abstract partial class Layer
{
    /// <summary>
    /// The name TensorFlow's object graph gives the sub-layer held in <paramref name="field"/>: the
    /// attribute it is stored in. That is the field's Keras name unless the Keras class keeps it in a
    /// private attribute (MultiHeadAttention's <c>_query_dense</c>), which TensorFlow uses as is.
    /// </summary>
    internal virtual string CheckpointChildName(TrackedField field) => field.Name;
}
