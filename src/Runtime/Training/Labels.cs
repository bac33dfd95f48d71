using static TorchSharp.torch;

namespace Layerwise.Training;

/// <summary>Checks and conversions of targets shared by losses and metrics, done in managed code before any kernel runs.</summary>
internal static class Labels
{
    /// <summary>Integer class labels of shape [batch] for predictions of shape [batch, classes].</summary>
    public static Tensor AsClassIndices(Tensor yTrue, Tensor yPred, string user)
    {
        long batch = yPred.shape[0];
        bool shapeOk = yTrue.shape.Length switch
        {
            1 => yTrue.shape[0] == batch,
            2 => yTrue.shape[0] == batch && yTrue.shape[1] == 1,
            _ => false,
        };
        if (!shapeOk)
            throw new IncompatibleShapeException(user,
                $"integer labels of shape ({batch},) for predictions of shape {ShapeText.Format(yPred.shape)}", yTrue.shape);
        return yTrue.reshape(batch).to_type(ScalarType.Int64);
    }

    public static void RequireSameShape(Tensor yTrue, Tensor yPred, string user)
    {
        if (!yTrue.shape.SequenceEqual(yPred.shape))
            throw new IncompatibleShapeException(user,
                $"targets of the predictions' shape {ShapeText.Format(yPred.shape)}", yTrue.shape);
    }
}
