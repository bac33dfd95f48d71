using TorchSharp;
using static TorchSharp.torch;
using KerasActivations = Layerwise.Activations.Activations;

namespace Layerwise.Tests.Layers;

/// <summary>
/// Every name Keras' <c>activations.get</c> accepts (Keras 3's <c>ALL_OBJECTS_DICT</c> with its
/// aliases swish and hard_swish, and tf.keras 2's names), each checked against its formula written
/// out here in double arithmetic, element by element, on points that cross every branch.
/// </summary>
public class ActivationNameTests
{
    public ActivationNameTests() => torch.set_num_threads(1);

    static readonly double[] Points = [-7, -3.5, -3, -2, -1.25, -1, -0.75, -0.5, -0.25, 0, 0.3, 0.5, 0.8, 1, 1.5, 3, 4.2, 6, 7.5];

    static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
    static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    /// <summary>The elementwise activations by Keras name, as their Keras docstrings define them.</summary>
    static readonly Dictionary<string, Func<double, double>> Elementwise = new()
    {
        ["linear"] = x => x,
        ["relu"] = x => Math.Max(x, 0),
        ["relu6"] = x => Math.Min(Math.Max(x, 0), 6),
        ["leaky_relu"] = x => x >= 0 ? x : 0.2 * x,
        ["sigmoid"] = Sigmoid,
        ["tanh"] = Math.Tanh,
        ["elu"] = x => x > 0 ? x : Math.Exp(x) - 1,
        ["selu"] = x => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.Exp(x) - 1)),
        ["softplus"] = Softplus,
        ["softsign"] = x => x / (Math.Abs(x) + 1),
        ["swish"] = x => x * Sigmoid(x),
        ["silu"] = x => x * Sigmoid(x),
        ["gelu"] = x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        ["exponential"] = Math.Exp,
        ["hard_sigmoid"] = x => Math.Clamp(0.2 * x + 0.5, 0, 1),
        ["hard_silu"] = x => x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6,
        ["hard_swish"] = x => x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6,
        ["mish"] = x => x * Math.Tanh(Softplus(x)),
        ["log_sigmoid"] = x => Math.Log(Sigmoid(x)),
        ["celu"] = x => Math.Max(0, x) + Math.Min(0, Math.Exp(x) - 1),
        ["hard_tanh"] = x => Math.Clamp(x, -1, 1),
        ["hard_shrink"] = x => Math.Abs(x) > 0.5 ? x : 0,
        ["soft_shrink"] = x => x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0,
        ["tanh_shrink"] = x => x - Math.Tanh(x),
        ["squareplus"] = x => (x + Math.Sqrt(x * x + 4)) / 2,
        ["sparse_plus"] = x => x <= -1 ? 0 : x >= 1 ? x : (x + 1) * (x + 1) / 4,
        ["sparse_sigmoid"] = x => x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1),
    };

    /// <summary>erf: its Taylor series below |z| = 2, else 1 - erfc from erfc's continued fraction (both exact to ~1e-13 there).</summary>
    static double Erf(double z)
    {
        if (Math.Abs(z) < 2)
        {
            double sum = 0, term = z;
            for (int n = 0; n < 100; n++)
            {
                sum += term / (2 * n + 1);
                term *= -z * z / (n + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        double a = Math.Abs(z), fraction = a;
        for (int n = 400; n >= 1; n--) fraction = a + n / 2.0 / fraction;
        double erfc = Math.Exp(-a * a) / (Math.Sqrt(Math.PI) * fraction);
        return Math.Sign(z) * (1 - erfc);
    }

    public static TheoryData<string> ElementwiseNames() => [.. Elementwise.Keys];

    [Theory]
    [MemberData(nameof(ElementwiseNames))]
    public void Activation_matches_its_formula(string name)
    {
        using var x = tensor(Points, ScalarType.Float64);
        using var actual = KerasActivations.Get(name)(x);
        var values = actual.data<double>().ToArray();
        for (int i = 0; i < Points.Length; i++)
        {
            double expected = Elementwise[name](Points[i]);
            Assert.True(Math.Abs(values[i] - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)),
                        $"{name}({Points[i]}) = {values[i]}, expected {expected}");
        }
    }

    [Fact]
    public void Softmax_and_log_softmax_normalise_the_last_axis()
    {
        double[] row = [1.0, -2.0, 0.5, 3.0];
        double denominator = row.Sum(Math.Exp);
        using var x = tensor(row, ScalarType.Float64).reshape(1, 4);
        using var softmax = KerasActivations.Get("softmax")(x);
        using var logSoftmax = KerasActivations.Get("log_softmax")(x);
        for (int i = 0; i < row.Length; i++)
        {
            Assert.Equal(Math.Exp(row[i]) / denominator, softmax[0, i].item<double>(), 12);
            Assert.Equal(row[i] - Math.Log(denominator), logSoftmax[0, i].item<double>(), 12);
        }
    }

    [Fact]
    public void Sparsemax_projects_onto_the_simplex()
    {
        // z = [2, 1.5, 0.1, -1]: support {2, 1.5} (1 + 2·1.5 > 3.5, 1 + 3·0.1 < 3.6), τ = (3.5 - 1) / 2 = 1.25.
        using var x = tensor(new[] { 2.0, 1.5, 0.1, -1.0, -1.0, 0.0, 1.0, 5.0 }, ScalarType.Float64).reshape(2, 4);
        using var y = KerasActivations.Get("sparsemax")(x);
        Assert.Equal([0.75, 0.25, 0, 0], y[0].data<double>().ToArray());
        // Second row: 5 alone is the support (1 + 2·1 < 6), τ = 4.
        Assert.Equal([0, 0, 0, 1], y[1].data<double>().ToArray());
    }

    [Fact]
    public void Every_Keras_activation_name_is_accepted()
    {
        // Keras 3's keras.activations.ALL_OBJECTS_DICT, shape-preserving members (keras/src/activations/__init__.py).
        string[] keras3 = ["relu", "leaky_relu", "relu6", "softmax", "celu", "elu", "selu", "softplus", "softsign", "squareplus",
                           "soft_shrink", "sparse_plus", "silu", "gelu", "tanh", "tanh_shrink", "sigmoid", "sparse_sigmoid",
                           "exponential", "hard_sigmoid", "hard_silu", "hard_tanh", "hard_shrink", "linear", "mish", "log_softmax",
                           "log_sigmoid", "sparsemax", "swish", "hard_swish"];
        foreach (var name in keras3) Assert.NotNull(KerasActivations.Get(name));
        Assert.NotNull(KerasActivations.Get(null));
    }

    [Theory]
    [InlineData("glu", "halves the last axis")]
    [InlineData("threshold", "needs threshold and default_value")]
    public void Keras_activations_that_cannot_be_a_layer_activation_say_why(string name, string why)
    {
        var e = Assert.Throws<ArgumentException>(() => KerasActivations.Get(name));
        Assert.Contains(why, e.Message);
    }
}
