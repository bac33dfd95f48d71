using Layerwise.Export.Tfjs;

namespace Layerwise.Models;

public abstract partial class Model
{
    /// <summary>
    /// Exports the model for TensorFlow.js (<c>tf.loadLayersModel</c>) into directory <paramref name="directory"/>, as
    /// <c>tensorflowjs_converter --input_format keras</c> converts a Keras .h5 of it: <c>model.json</c> (format
    /// <c>layers-model</c>, the Keras 2 model config as <c>modelTopology</c>, the weights manifest) and the weights as
    /// little-endian float32 shards <c>group1-shardNofM.bin</c> of at most 4 MiB. The directory is written beside
    /// the target and swapped in, so a failure leaves the previous one. Layers TensorFlow.js does not implement
    /// load there with its own error; a GRU must have <c>resetAfter: false</c> (TensorFlow.js refuses <c>reset_after=True</c>).
    /// </summary>
    public void SaveTfjs(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        EnsureBuiltForSaving();
        TfjsLayersModel.Save(this, directory);
    }
}
