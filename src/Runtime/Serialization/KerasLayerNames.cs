namespace Layerwise.Serialization;

/// <summary>
/// The class names of Keras' own layers and models, as configs name them: <c>keras.layers</c> of
/// Keras 3 (3.0 to 3.x, including its aliases such as <c>Convolution2D</c>), tf.keras 2.15, and the
/// standalone Keras 1.2 to 2.3 (<c>Merge</c>, <c>Highway</c>, <c>CuDNNLSTM</c>, ...). Data only: a
/// class named here that Layerwise does not implement is refused as "not implemented in Layerwise",
/// any other unknown class as an unregistered custom layer. Collected from Keras' sources
/// (keras/api/layers/__init__.py, keras/layers/__init__.py and the standalone versions' modules);
/// the abstract bases (<c>Layer</c>, <c>Wrapper</c>, <c>AbstractRNNCell</c>) are left out.
/// </summary>
internal static class KerasLayerNames
{
    static readonly HashSet<string> names = new(StringComparer.Ordinal)
    {
        "Activation", "ActivityRegularization", "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D",
        "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "Add",
        "AdditiveAttention", "AlphaDropout", "AtrousConv1D", "AtrousConv2D", "AtrousConvolution1D",
        "AtrousConvolution2D", "Attention", "AugMix", "AutoContrast", "Average", "AveragePooling1D",
        "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "BatchNormalization",
        "BatchNormalizationV1", "BatchNormalizationV2", "Bidirectional", "CategoryEncoding", "CenterCrop",
        "ClassMethod", "Concatenate", "ContrastLimitedAdaptiveHistogramEqualization", "Conv1D", "Conv1DTranspose",
        "Conv2D", "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM2DCell",
        "ConvLSTM3D", "Convolution1D", "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose",
        "Convolution3D", "Convolution3DTranspose", "Cropping1D", "Cropping2D", "Cropping3D", "CuDNNGRU", "CuDNNLSTM",
        "CutMix", "Deconv2D", "Deconvolution2D", "Deconvolution3D", "Dense", "DepthwiseConv1D", "DepthwiseConv2D",
        "DeviceWrapper", "Discretization", "Dot", "Dropout", "DropoutWrapper", "ELU", "EinsumDense", "Embedding",
        "Equalization", "Flatten", "Functional", "FlaxLayer", "GRU", "GRUCell", "GRUCellV1", "GRUCellV2", "GRUV1", "GRUV2",
        "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
        "GlobalAveragePooling3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D",
        "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
        "GroupNormalization", "GroupQueryAttention", "HashedCrossing", "Hashing", "Highway", "Identity", "InputLayer",
        "InstanceMethod", "InstanceProperty", "IntegerLookup", "JaxLayer", "LSTM", "LSTMCell", "LSTMCellV1",
        "LSTMCellV2", "LSTMV1", "LSTMV2", "Lambda", "LayerNormalization", "LeakyReLU", "LocallyConnected1D",
        "LocallyConnected2D", "Masking", "MaxNumBoundingBoxes", "MaxPool1D", "MaxPool2D", "MaxPool3D", "MaxPooling1D",
        "MaxPooling2D", "MaxPooling3D", "Maximum", "MaxoutDense", "MelSpectrogram", "Merge", "Minimum", "MixUp",
        "Model", "MultiHeadAttention", "Multiply", "Network", "Normalization", "PReLU", "ParametricSoftplus",
        "Permute", "Pipeline", "RMSNormalization", "RNN", "RandAugment", "RandomBrightness",
        "RandomColorDegeneration", "RandomColorJitter", "RandomContrast", "RandomCrop", "RandomElasticTransform",
        "RandomErasing", "RandomFlip", "RandomFourierFeatures", "RandomGaussianBlur", "RandomGrayscale",
        "RandomHeight", "RandomHue", "RandomInvert", "RandomPerspective", "RandomPosterization", "RandomRotation",
        "RandomSaturation", "RandomSharpness", "RandomShear", "RandomTranslation", "RandomWidth", "RandomZoom",
        "ReLU", "RepeatVector", "Rescaling", "Reshape", "ResidualWrapper", "Resizing", "ReversibleEmbedding", "SReLU",
        "STFTSpectrogram", "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D",
        "Sequential", "SimpleRNN", "SimpleRNNCell", "SlicingOpLambda", "Softmax", "Solarization", "SpatialDropout1D",
        "SpatialDropout2D", "SpatialDropout3D", "SpectralNormalization", "StackedRNNCells", "StringLookup",
        "Subtract", "TFOpLambda", "TFSMLayer", "TernaryDense", "TextVectorization", "ThresholdedReLU",
        "TimeDistributed", "TimeDistributedDense", "TorchModuleWrapper", "UnitNormalization", "UpSampling1D",
        "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
    };

    /// <summary>Whether <paramref name="className"/> is one of Keras' built-in layer or model classes.</summary>
    public static bool Contains(string className) => names.Contains(className);

    /// <summary>
    /// Whether a serialized object names Keras' own class: a class listed here, not registered under a
    /// package of its own (Keras writes <c>registered_name: null</c> for its classes) and, when the
    /// module is given, from Keras (<c>keras.layers</c>, <c>keras.src...</c>, tf.keras' <c>tensorflow...</c>).
    /// A user's class that shares a Keras name is told apart by its registered name or module.
    /// </summary>
    public static bool IsKerasClass(string? className, string? registeredName, string? module) =>
        className is not null && names.Contains(className)
        && (registeredName is null || registeredName == className || registeredName.StartsWith("keras", StringComparison.Ordinal))
        && (module is null || module.StartsWith("keras", StringComparison.Ordinal) || module.StartsWith("tensorflow", StringComparison.Ordinal)
            || module.StartsWith("tf_keras", StringComparison.Ordinal));
}
