using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Training.Losses;
using Layerwise.Training.Optimizers;
using static TorchSharp.torch;

namespace Layerwise.Tests.Training;

/// <summary>
/// Each optimizer's first steps on a one-unit linear model with MSE loss, against the update rule
/// written out by hand in double precision (Keras' formulas).
/// </summary>
public class OptimizerUpdateTests
{
    static readonly double[][] X = [[1, 2], [3, -1]];
    static readonly double[] Y = [1, 0];
    static readonly double[] InitialParameters = [0.5, -0.25, 0.1]; // kernel[0], kernel[1], bias

    /// <summary>Gradient of mean((x·k + b − y)²) with respect to (k0, k1, b).</summary>
    static double[] Gradient(double[] p)
    {
        var g = new double[3];
        for (int i = 0; i < X.Length; i++)
        {
            double error = X[i][0] * p[0] + X[i][1] * p[1] + p[2] - Y[i];
            double scale = 2.0 / X.Length * error;
            g[0] += scale * X[i][0];
            g[1] += scale * X[i][1];
            g[2] += scale;
        }
        return g;
    }

    /// <summary>Trains with Fit, one batch per epoch, and returns (k0, k1, b) after each step.</summary>
    static List<double[]> TrainSteps(Optimizer optimizer, int steps)
    {
        var dense = new Dense(1, inputShape: [2]);
        var model = new Sequential(dense);
        model.Compile(optimizer, new MeanSquaredError());
        model.EnsureBuilt([2]);
        dense.Kernel.Assign(tensor(new float[] { 0.5f, -0.25f }, [2, 1]));
        dense.Bias!.Assign(tensor(new float[] { 0.1f }, [1]));
        var x = tensor(X.SelectMany(r => r.Select(v => (float)v)).ToArray(), [2, 2]);
        var y = tensor(Y.Select(v => (float)v).ToArray(), [2, 1]);
        var result = new List<double[]>();
        for (int s = 0; s < steps; s++)
        {
            model.Fit(x, y, batchSize: 2, epochs: 1, verbose: 0, shuffle: false);
            var k = dense.Kernel.ToCpu().data<float>().ToArray();
            var b = dense.Bias.ToCpu().data<float>().ToArray();
            result.Add([k[0], k[1], b[0]]);
        }
        return result;
    }

    static void AssertClose(double[] expected, double[] actual, double tolerance = 2e-6)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"parameter {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void Adam_first_three_steps_follow_keras_update_rule()
    {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        var p = InitialParameters.ToArray();
        var m = new double[3];
        var v = new double[3];
        var expected = new List<double[]>();
        for (int t = 1; t <= 3; t++)
        {
            var g = Gradient(p);
            double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
            for (int i = 0; i < 3; i++)
            {
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                p[i] -= alpha * m[i] / (Math.Sqrt(v[i]) + eps);
            }
            expected.Add(p.ToArray());
        }

        var optimizer = new Adam(learningRate: lr);
        var actual = TrainSteps(optimizer, 3);

        for (int t = 0; t < 3; t++) AssertClose(expected[t], actual[t]);
        Assert.Equal(3, optimizer.Iterations);
    }

    [Fact]
    public void Adam_defaults_are_keras_defaults()
    {
        var adam = (Adam)Optimizer.Get("adam");
        Assert.Equal((0.001, 0.9, 0.999, 1e-7), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.9, false)]
    [InlineData(0.9, true)]
    public void SGD_steps_follow_keras_update_rule(double momentum, bool nesterov)
    {
        double lr = 0.05;
        var p = InitialParameters.ToArray();
        var velocity = new double[3];
        var expected = new List<double[]>();
        for (int t = 0; t < 3; t++)
        {
            var g = Gradient(p);
            for (int i = 0; i < 3; i++)
            {
                velocity[i] = momentum * velocity[i] - lr * g[i];
                p[i] += nesterov ? momentum * velocity[i] - lr * g[i] : velocity[i];
            }
            expected.Add(p.ToArray());
        }

        var actual = TrainSteps(new SGD(lr, momentum, nesterov), 3);

        for (int t = 0; t < 3; t++) AssertClose(expected[t], actual[t]);
    }

    [Fact]
    public void RMSprop_steps_follow_keras_update_rule()
    {
        double lr = 0.01, rho = 0.9, eps = 1e-7;
        var p = InitialParameters.ToArray();
        var s = new double[3];
        var expected = new List<double[]>();
        for (int t = 0; t < 3; t++)
        {
            var g = Gradient(p);
            for (int i = 0; i < 3; i++)
            {
                s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
                p[i] -= lr * g[i] / Math.Sqrt(s[i] + eps);
            }
            expected.Add(p.ToArray());
        }

        var actual = TrainSteps(new RMSprop(lr), 3);

        for (int t = 0; t < 3; t++) AssertClose(expected[t], actual[t]);
    }

    /// <summary>Runs <paramref name="rule"/> (parameter index, gradient, step) for three steps from the initial parameters.</summary>
    static List<double[]> ExpectedSteps(Action<double[], double[], int> rule, int steps = 3)
    {
        var p = InitialParameters.ToArray();
        var expected = new List<double[]>();
        for (int t = 1; t <= steps; t++)
        {
            rule(p, Gradient(p), t);
            expected.Add(p.ToArray());
        }
        return expected;
    }

    static void AssertSteps(List<double[]> expected, Optimizer optimizer)
    {
        var actual = TrainSteps(optimizer, expected.Count);
        for (int t = 0; t < expected.Count; t++) AssertClose(expected[t], actual[t]);
        Assert.Equal(expected.Count, optimizer.Iterations);
    }

    [Fact]
    public void Adam_with_amsgrad_divides_by_the_running_maximum_of_v()
    {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        var (m, v, vhat) = (new double[3], new double[3], new double[3]);
        var expected = ExpectedSteps((p, g, t) =>
        {
            double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
            for (int i = 0; i < 3; i++)
            {
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                vhat[i] = Math.Max(vhat[i], v[i]);
                p[i] -= alpha * m[i] / (Math.Sqrt(vhat[i]) + eps);
            }
        }, steps: 4);
        var adam = new Adam(learningRate: lr, amsgrad: true);
        AssertSteps(expected, adam);
        Assert.Equal(["m", "v", "vhat"], adam.SlotNames);
    }

    [Fact]
    public void AdamW_decays_the_weights_by_lr_times_weight_decay_before_the_adam_step()
    {
        double lr = 0.1, wd = 0.2, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        var (m, v) = (new double[3], new double[3]);
        var expected = ExpectedSteps((p, g, t) =>
        {
            // Keras computes the gradient before the decay and applies the decay first.
            double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
            for (int i = 0; i < 3; i++)
            {
                p[i] -= p[i] * wd * lr;
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                p[i] -= alpha * m[i] / (Math.Sqrt(v[i]) + eps);
            }
        });
        AssertSteps(expected, new AdamW(learningRate: lr, weightDecay: wd));
    }

    [Fact]
    public void Adadelta_steps_follow_keras_update_rule()
    {
        double lr = 1.0, rho = 0.95, eps = 1e-7;
        var (accumulatedGrad, accumulatedDelta) = (new double[3], new double[3]);
        var expected = ExpectedSteps((p, g, t) =>
        {
            for (int i = 0; i < 3; i++)
            {
                accumulatedGrad[i] = rho * accumulatedGrad[i] + (1 - rho) * g[i] * g[i];
                double delta = -Math.Sqrt(accumulatedDelta[i] + eps) * g[i] / Math.Sqrt(accumulatedGrad[i] + eps);
                accumulatedDelta[i] = rho * accumulatedDelta[i] + (1 - rho) * delta * delta;
                p[i] += lr * delta;
            }
        });
        AssertSteps(expected, new Adadelta(learningRate: lr));
    }

    [Fact]
    public void Adagrad_steps_follow_keras_update_rule_from_the_initial_accumulator()
    {
        double lr = 0.1, initial = 0.1, eps = 1e-7;
        var accumulator = Enumerable.Repeat(initial, 3).ToArray();
        var expected = ExpectedSteps((p, g, t) =>
        {
            for (int i = 0; i < 3; i++)
            {
                accumulator[i] += g[i] * g[i];
                p[i] -= lr * g[i] / Math.Sqrt(accumulator[i] + eps);
            }
        });
        AssertSteps(expected, new Adagrad(learningRate: lr));
    }

    [Fact]
    public void Adamax_steps_follow_keras_update_rule()
    {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        var (m, u) = (new double[3], new double[3]);
        var expected = ExpectedSteps((p, g, t) =>
        {
            for (int i = 0; i < 3; i++)
            {
                m[i] += (g[i] - m[i]) * (1 - b1);
                u[i] = Math.Max(b2 * u[i], Math.Abs(g[i]));
                p[i] -= lr * m[i] / ((1 - Math.Pow(b1, t)) * (u[i] + eps));
            }
        });
        AssertSteps(expected, new Adamax(learningRate: lr));
    }

    [Fact]
    public void Nadam_steps_follow_keras_update_rule_with_its_momentum_schedule()
    {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-7;
        var (m, v) = (new double[3], new double[3]);
        double uProduct = 1.0;
        var expected = ExpectedSteps((p, g, t) =>
        {
            double u = b1 * (1 - 0.5 * Math.Pow(0.96, t)), uNext = b1 * (1 - 0.5 * Math.Pow(0.96, t + 1));
            uProduct *= u;
            double uProductNext = uProduct * uNext;
            for (int i = 0; i < 3; i++)
            {
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                double mHat = uNext * m[i] / (1 - uProductNext) + (1 - u) * g[i] / (1 - uProduct);
                double vHat = v[i] / (1 - Math.Pow(b2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }, steps: 4);
        AssertSteps(expected, new Nadam(learningRate: lr));
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0, 0.0)]
    [InlineData(0.01, 0.02, 0.03, 0.5)]
    public void Ftrl_steps_follow_keras_update_rule(double l1, double l2, double l2Shrinkage, double beta)
    {
        double lr = 0.1, power = -0.5, initial = 0.1;
        var accumulator = Enumerable.Repeat(initial, 3).ToArray();
        var linear = new double[3];
        var expected = ExpectedSteps((p, g, t) =>
        {
            double l2Total = l2 + beta / (2 * lr);
            for (int i = 0; i < 3; i++)
            {
                double newAccumulator = accumulator[i] + g[i] * g[i];
                linear[i] += g[i] + 2 * l2Shrinkage * p[i]
                             - (Math.Pow(newAccumulator, -power) - Math.Pow(accumulator[i], -power)) / lr * p[i];
                double quadratic = Math.Pow(newAccumulator, -power) / lr + 2 * l2Total;
                p[i] = (Math.Clamp(linear[i], -l1, l1) - linear[i]) / quadratic;
                accumulator[i] = newAccumulator;
            }
        });
        AssertSteps(expected, new Ftrl(lr, power, initial, l1, l2, l2Shrinkage, beta));
    }

    [Theory]
    [InlineData("clipnorm")]
    [InlineData("global_clipnorm")]
    [InlineData("clipvalue")]
    public void Gradient_clipping_follows_keras_before_the_update(string kind)
    {
        double lr = 0.1, limit = 0.5;
        var expected = ExpectedSteps((p, g, t) =>
        {
            // The kernel's gradient is (g0, g1), the bias's g2: clipnorm rescales each, global_clipnorm all together.
            double kernelNorm = Math.Sqrt(g[0] * g[0] + g[1] * g[1]), biasNorm = Math.Abs(g[2]);
            double globalNorm = Math.Sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
            double[] clipped = kind switch
            {
                "clipnorm" => [g[0] * limit / Math.Max(kernelNorm, limit), g[1] * limit / Math.Max(kernelNorm, limit), g[2] * limit / Math.Max(biasNorm, limit)],
                "global_clipnorm" => [.. g.Select(v => v * limit / Math.Max(globalNorm, limit))],
                _ => [.. g.Select(v => Math.Clamp(v, -limit, limit))],
            };
            for (int i = 0; i < 3; i++) p[i] -= lr * clipped[i];
        });
        Optimizer sgd = kind switch
        {
            "clipnorm" => new SGD(lr) { ClipNorm = limit },
            "global_clipnorm" => new SGD(lr) { GlobalClipNorm = limit },
            _ => new SGD(lr) { ClipValue = limit },
        };
        AssertSteps(expected, sgd);
        Assert.True(Gradient(InitialParameters).Any(v => Math.Abs(v) > limit), "the test's gradients must be large enough to be clipped");

        var config = Layerwise.Serialization.CompileConfig.WriteCompileConfig(sgd, new MeanSquaredError(), []);
        Assert.Equal(limit, (double)config["optimizer"]!["config"]![kind]!);
        var read = Layerwise.Serialization.CompileConfig.Read(System.Text.Json.Nodes.JsonNode.Parse(config.ToJsonString())!.AsObject(), "compile_config").Optimizer;
        Assert.Equal((sgd.ClipNorm, sgd.GlobalClipNorm, sgd.ClipValue), (read.ClipNorm, read.GlobalClipNorm, read.ClipValue));
        Assert.Throws<ArgumentException>(() => new SGD { ClipNorm = 1, ClipValue = 1 });
    }

    [Fact]
    public void New_optimizers_have_keras_defaults_and_names()
    {
        var adadelta = (Adadelta)Optimizer.Get("adadelta");
        Assert.Equal((0.001, 0.95, 1e-7), (adadelta.LearningRate, adadelta.Rho, adadelta.Epsilon));
        var adagrad = (Adagrad)Optimizer.Get("Adagrad");
        Assert.Equal((0.001, 0.1, 1e-7), (adagrad.LearningRate, adagrad.InitialAccumulatorValue, adagrad.Epsilon));
        var adamax = (Adamax)Optimizer.Get("adamax");
        Assert.Equal((0.001, 0.9, 0.999, 1e-7), (adamax.LearningRate, adamax.Beta1, adamax.Beta2, adamax.Epsilon));
        var nadam = (Nadam)Optimizer.Get("nadam");
        Assert.Equal((0.001, 0.9, 0.999, 1e-7), (nadam.LearningRate, nadam.Beta1, nadam.Beta2, nadam.Epsilon));
        var ftrl = (Ftrl)Optimizer.Get("ftrl");
        Assert.Equal((0.001, -0.5, 0.1, 0.0, 0.0, 0.0, 0.0), (ftrl.LearningRate, ftrl.LearningRatePower, ftrl.InitialAccumulatorValue,
            ftrl.L1RegularizationStrength, ftrl.L2RegularizationStrength, ftrl.L2ShrinkageRegularizationStrength, ftrl.Beta));
        var adamw = (AdamW)Optimizer.Get("AdamW");
        Assert.Equal((0.001, 0.004, 0.9, 0.999, 1e-7, false), (adamw.LearningRate, adamw.WeightDecay, adamw.Beta1, adamw.Beta2, adamw.Epsilon, adamw.Amsgrad));
        Assert.Equal(("adamw", "AdamW"), (adamw.Name, adamw.ClassName));
        Assert.Null(new Adam().WeightDecay);
    }

    [Fact]
    public void Ftrl_refuses_what_keras_refuses()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ftrl(learningRatePower: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ftrl(l1RegularizationStrength: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad(initialAccumulatorValue: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { WeightDecay = -1 });
    }

    [Fact]
    public void Unknown_optimizer_name_is_rejected_with_the_known_names()
    {
        var e = Assert.Throws<ArgumentException>(() => Optimizer.Get("adamw2"));
        Assert.Contains("adamw2", e.Message);
        Assert.Contains("rmsprop", e.Message);
    }
}
