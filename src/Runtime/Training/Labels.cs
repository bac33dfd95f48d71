using static TorchSharp.torch;

namespace Layerwise.Training;

/// <summary>Checks and conversions of targets shared by losses and metrics, done in managed code before any kernel runs.</summary>
internal static class Labels
{
    /// <summary>
    /// Integer class labels of shape [batch] for predictions of shape [batch, classes]; for predictions with more axes
    /// ([batch, timesteps, classes], a sequence output) the predictions' shape without the class axis, as Keras'
    /// sparse losses and metrics take them. Targets may carry a trailing axis of 1 (<c>[batch, 1]</c>).
    /// </summary>
    public static Tensor AsClassIndices(Tensor yTrue, Tensor yPred, string user)
    {
        if (yPred.dim() > 2) return AsClassIndicesPerPosition(yTrue, yPred, user);
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

    static Tensor AsClassIndicesPerPosition(Tensor yTrue, Tensor yPred, string user)
    {
        var expected = yPred.shape[..^1];
        var actual = yTrue.shape;
        bool shapeOk = actual.SequenceEqual(expected) ||
                       (actual.Length == expected.Length + 1 && actual[^1] == 1 && actual[..^1].SequenceEqual(expected));
        if (!shapeOk)
            throw new IncompatibleShapeException(user,
                $"integer labels of shape {ShapeText.Format(expected)} for predictions of shape {ShapeText.Format(yPred.shape)}", actual);
        return yTrue.reshape(expected).to_type(ScalarType.Int64);
    }

    public static void RequireSameShape(Tensor yTrue, Tensor yPred, string user)
    {
        if (!yTrue.shape.SequenceEqual(yPred.shape))
            throw new IncompatibleShapeException(user,
                $"targets of the predictions' shape {ShapeText.Format(yPred.shape)}", yTrue.shape);
    }
}
