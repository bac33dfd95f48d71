namespace Layerwise.Models;

/// <summary>The single-file formats a whole model can be written to a stream in (<see cref="Model.Save(Stream, ModelFileFormat)"/>).</summary>
public enum ModelFileFormat
{
    /// <summary>Keras 2's HDF5 model file, what <c>model.save("m.h5")</c> writes (tf.keras' <c>load_model</c> reads it).</summary>
    H5,

    /// <summary>Keras 3's <c>.keras</c> zip archive (<c>config.json</c>, <c>metadata.json</c>, <c>model.weights.h5</c>).</summary>
    Keras,
}

/// <summary>The single-file formats a model's weights can be written to a stream in (<see cref="Model.SaveWeights(Stream, WeightsFileFormat)"/>).</summary>
public enum WeightsFileFormat
{
    /// <summary>Keras 3's <c>.weights.h5</c> (<c>layers/&lt;name&gt;/vars/&lt;i&gt;</c>), what <c>save_weights("w.weights.h5")</c> writes.</summary>
    WeightsH5,

    /// <summary>Keras 2's <c>save_weights("w.h5")</c> layout (<c>layer_names</c>, <c>weight_names</c>).</summary>
    H5,
}
