namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' AdamW: Adam with decoupled weight decay, θ ← θ − θ·wd·lr before each Adam step
/// (Loshchilov and Hutter). Defaults as Keras: lr 0.001, weight decay 0.004, β 0.9/0.999, ε 1e-7.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Keras' <c>keras.optimizers.AdamW</c>, with Keras' defaults.</summary>
    /// <param name="learningRate">Step size (Keras' <c>learning_rate</c>).</param>
    /// <param name="weightDecay">Decoupled weight decay factor (Keras' <c>weight_decay</c>).</param>
    /// <param name="beta1">Decay rate of the first-moment estimates (Keras' <c>beta_1</c>).</param>
    /// <param name="beta2">Decay rate of the second-moment estimates (Keras' <c>beta_2</c>).</param>
    /// <param name="epsilon">Small constant for numerical stability (Keras' <c>epsilon</c>).</param>
    /// <param name="amsgrad">Whether to use the AMSGrad variant, keeping the maximum of past second moments (Keras'
    /// <c>amsgrad</c>).</param>
    /// <param name="name">The optimizer's name. Null: the snake_case class name.</param>
    public AdamW(double learningRate = 0.001, double weightDecay = 0.004, double beta1 = 0.9, double beta2 = 0.999,
                 double epsilon = 1e-7, bool amsgrad = false, string? name = null)
        : base(learningRate, beta1, beta2, epsilon, amsgrad, name ?? "adamw")
    {
        WeightDecay = weightDecay;
    }
}
