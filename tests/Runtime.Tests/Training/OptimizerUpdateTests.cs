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

    [Fact]
    public void Unknown_optimizer_name_is_rejected_with_the_known_names()
    {
        var e = Assert.Throws<ArgumentException>(() => Optimizer.Get("adamw2"));
        Assert.Contains("adamw2", e.Message);
        Assert.Contains("rmsprop", e.Message);
    }
}
