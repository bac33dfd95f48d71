namespace Layerwise.Training.Optimizers;

/// <summary>
/// Keras' AdamW: Adam with decoupled weight decay, θ ← θ − θ·wd·lr before each Adam step
/// (Loshchilov and Hutter). Defaults as Keras: lr 0.001, weight decay 0.004, β 0.9/0.999, ε 1e-7.
/// </summary>
public sealed class AdamW : Adam
{
    public AdamW(double learningRate = 0.001, double weightDecay = 0.004, double beta1 = 0.9, double beta2 = 0.999,
                 double epsilon = 1e-7, bool amsgrad = false, string? name = null)
        : base(learningRate, beta1, beta2, epsilon, amsgrad, name ?? "adamw")
    {
        WeightDecay = weightDecay;
    }
}
