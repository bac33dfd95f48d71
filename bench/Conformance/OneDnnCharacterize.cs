using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Layerwise.Conformance;

/// <summary>
/// Characterizes the libtorch oneDNN float32 convolution fault along every axis a convolution has:
/// each case runs forward and backward (gradients of input, weight and bias) once with oneDNN on and
/// once with it off (libtorch's own kernels, the reference), on the same tensors. One axis at a time
/// is varied from a base case (conv2d, 16 filters, kernel 3, batch 4, 6x6) across many input channel
/// counts; then random cases over all axes test the rule "input channels &gt; 16 and not a multiple of 16".
/// `--onednn-characterize [random cases]`.
/// </summary>
static class OneDnnCharacterize
{
    public record Case(int Dims, bool Transposed, int InChannels, int Filters, int Kernel, int Stride, int Dilation,
                       int Groups, int Batch, int Size, bool ChannelsLast)
    {
        public override string ToString() =>
            $"conv{Dims}d{(Transposed ? "_transpose" : "")} in={InChannels} filters={Filters} k={Kernel} s={Stride} d={Dilation} g={Groups} n={Batch} size={Size}{(ChannelsLast ? " channels-last" : "")}";
    }

    /// <summary>What came out wrong with oneDNN on: forward output, input, weight or bias gradient.</summary>
    [Flags]
    public enum Wrong { None = 0, Output = 1, InputGrad = 2, WeightGrad = 4, BiasGrad = 8 }

    /// <summary>The rule the runtime applies: oneDNN is avoided for these input channel counts.</summary>
    public static bool RulePredictsWrong(int inChannels) => inChannels > 16 && inChannels % 16 != 0;

    static readonly int[] Channels = [1, 3, 8, 15, 16, 17, 20, 24, 30, 32, 33, 40, 48, 56, 64, 72, 96, 100, 120, 128, 136, 144];

    public static int Run(int randomCases)
    {
        set_num_threads(1);
        _ = zeros(1);
        var base_ = new Case(2, false, 0, 16, 3, 1, 1, 1, 4, 6, false);
        var variations = new (string Name, Func<int, Case?> Make)[]
        {
            ("base conv2d", c => base_ with { InChannels = c }),
            ("conv1d", c => base_ with { InChannels = c, Dims = 1 }),
            ("conv3d", c => base_ with { InChannels = c, Dims = 3, Size = 5 }),
            ("channels-last input (permuted view)", c => base_ with { InChannels = c, ChannelsLast = true }),
            ("conv1d channels-last", c => base_ with { InChannels = c, Dims = 1, ChannelsLast = true }),
            ("filters 1", c => base_ with { InChannels = c, Filters = 1 }),
            ("filters 8", c => base_ with { InChannels = c, Filters = 8 }),
            ("filters 17", c => base_ with { InChannels = c, Filters = 17 }),
            ("filters 24", c => base_ with { InChannels = c, Filters = 24 }),
            ("filters 64", c => base_ with { InChannels = c, Filters = 64 }),
            ("kernel 1", c => base_ with { InChannels = c, Kernel = 1 }),
            ("kernel 2", c => base_ with { InChannels = c, Kernel = 2 }),
            ("kernel 5", c => base_ with { InChannels = c, Kernel = 5, Size = 8 }),
            ("stride 2", c => base_ with { InChannels = c, Stride = 2 }),
            ("dilation 2", c => base_ with { InChannels = c, Dilation = 2, Size = 8 }),
            ("groups 2", c => c % 2 == 0 ? base_ with { InChannels = c, Groups = 2 } : null),
            ("depthwise (groups = in, filters = in)", c => base_ with { InChannels = c, Groups = c, Filters = c }),
            ("batch 1", c => base_ with { InChannels = c, Batch = 1 }),
            ("batch 2", c => base_ with { InChannels = c, Batch = 2 }),
            ("batch 32", c => base_ with { InChannels = c, Batch = 32 }),
            ("size 3", c => base_ with { InChannels = c, Size = 3 }),
            ("size 28", c => base_ with { InChannels = c, Size = 28 }),
            ("conv2d_transpose", c => base_ with { InChannels = c, Transposed = true }),
            ("conv1d_transpose", c => base_ with { InChannels = c, Dims = 1, Transposed = true }),
            ("conv2d_transpose stride 2", c => base_ with { InChannels = c, Transposed = true, Stride = 2 }),
        };
        int mismatches = 0;
        foreach (var (name, make) in randomCases > 1000 ? [] : variations)
        {
            var byKind = new Dictionary<Wrong, List<int>>();
            foreach (int c in Channels)
            {
                if (make(c) is not { } testCase) continue;
                var wrong = Compare(testCase, out _);
                foreach (var flag in new[] { Wrong.Output, Wrong.InputGrad, Wrong.WeightGrad, Wrong.BiasGrad })
                    if (wrong.HasFlag(flag)) (byKind.TryGetValue(flag, out var l) ? l : byKind[flag] = []).Add(c);
                if ((wrong != Wrong.None) != RulePredictsWrong(c)) mismatches++;
            }
            var report = byKind.Count == 0 ? "all right"
                : string.Join("; ", byKind.Select(kv => $"{kv.Key} wrong at in={string.Join(",", kv.Value)}"));
            Console.WriteLine($"{name,-40} {report}");
        }
        Console.WriteLine($"axis sweep: {mismatches} cases where the rule (in > 16, in % 16 != 0) disagrees");

        using var csv = Environment.GetEnvironmentVariable("ONEDNN_CSV") is { } csvPath ? new StreamWriter(csvPath) : null;
        csv?.WriteLine("dims,transposed,in,filters,kernel,stride,dilation,groups,batch,size,channels_last,wrong");
        var random = new Random(Environment.GetEnvironmentVariable("ONEDNN_SEED") is { } seed ? int.Parse(seed) : 16);
        int agree = 0, falseNegatives = 0, falsePositives = 0, wrongTotal = 0;
        for (int i = 0; i < randomCases; i++)
        {
            var testCase = RandomCase(random);
            var wrong = Compare(testCase, out double worst);
            csv?.WriteLine($"{testCase.Dims},{(testCase.Transposed ? 1 : 0)},{testCase.InChannels},{testCase.Filters},{testCase.Kernel},{testCase.Stride},{testCase.Dilation},{testCase.Groups},{testCase.Batch},{testCase.Size},{(testCase.ChannelsLast ? 1 : 0)},{(int)wrong}");
            bool predicted = RulePredictsWrong(testCase.InChannels);
            if (wrong != Wrong.None) wrongTotal++;
            if ((wrong != Wrong.None) == predicted) agree++;
            else if (predicted) falsePositives++;
            else { falseNegatives++; Console.WriteLine($"NOT predicted: {testCase}: {wrong} (relative error {worst:g3})"); }
        }
        Console.WriteLine($"oneDNN-off results that differ from float64: {referenceWrong}");
        Console.WriteLine($"random cases: {randomCases}, wrong with oneDNN {wrongTotal}, rule agrees {agree}, " +
                          $"wrong but not predicted {falseNegatives}, predicted but right {falsePositives}");
        return falseNegatives;
    }

    static Case RandomCase(Random r)
    {
        int Pick(params int[] values) => values[r.Next(values.Length)];
        int dims = Pick(1, 2, 3);
        int inChannels = Pick(Channels);
        int groups = r.Next(5) == 0 ? Pick(1, 2, 4, inChannels) : 1;
        if (inChannels % groups != 0) groups = 1;
        int filters = Pick(1, 8, 16, 17, 24, 32, 48, 64);
        if (groups == inChannels) filters = inChannels * Pick(1, 2);
        filters = Math.Max(groups, filters / groups * groups);
        int kernel = Pick(1, 2, 3, 5);
        int dilation = r.Next(4) == 0 ? 2 : 1;
        int stride = dilation == 1 && r.Next(3) == 0 ? 2 : 1;
        int size = Math.Max(dilation * (kernel - 1) + 1, Pick(2, 3, 6, 12, dims == 3 ? 6 : 20));
        return new Case(dims, r.Next(5) == 0, inChannels, filters, kernel, stride, dilation, groups,
                        Pick(1, 2, 4, 16, 32), size, r.Next(3) == 0);
    }

    /// <summary>Runs one case with oneDNN on and off and reports which results differ (relative error &gt; 1e-4 or non-finite).</summary>
    static int referenceWrong;

    public static Wrong Compare(Case c, out double worst)
    {
        manual_seed(c.InChannels * 7919 + c.Filters * 31 + c.Kernel);
        long[] spatial = [.. Enumerable.Repeat((long)c.Size, c.Dims)];
        long[] kernel = [.. Enumerable.Repeat((long)c.Kernel, c.Dims)];
        var x = c.ChannelsLast
            ? rand([c.Batch, .. spatial, c.InChannels]).permute([0, c.Dims + 1, .. Enumerable.Range(1, c.Dims).Select(i => (long)i)])
            : rand([c.Batch, c.InChannels, .. spatial]);
        var w = c.Transposed ? randn([c.InChannels, c.Filters / c.Groups, .. kernel]) : randn([c.Filters, c.InChannels / c.Groups, .. kernel]);
        var b = randn(c.Filters);
        var off = Run(c, x, w, b, oneDnn: false);
        var on = Run(c, x, w, b, oneDnn: true);
        var exact = Run(c, x.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64), oneDnn: false);
        var wrong = Wrong.None;
        for (int i = 0; i < 4; i++)
            if (RelativeError(off[i], exact[i]) > 1e-4) referenceWrong++;
        worst = 0;
        for (int i = 0; i < 4; i++)
        {
            double error = RelativeError(on[i], off[i]);
            worst = Math.Max(worst, error);
            if (error > 1e-4) wrong |= (Wrong)(1 << i);
        }
        return wrong;
    }

    static double RelativeError(Tensor actual, Tensor expected)
    {
        using var _ = no_grad();
        if (!actual.isfinite().all().item<bool>()) return double.PositiveInfinity;
        var a = actual.to(ScalarType.Float64);
        var e = expected.to(ScalarType.Float64);
        double scale = e.abs().max().item<double>() + 1e-6;
        return (a - e).abs().max().item<double>() / scale;
    }

    static Tensor[] Run(Case c, Tensor x, Tensor w, Tensor b, bool oneDnn)
    {
        LibtorchContext.OneDnn = oneDnn;
        try
        {
            var xl = x.detach().requires_grad_(true);
            var wl = w.detach().requires_grad_(true);
            var bl = b.detach().requires_grad_(true);
            long[] stride = [.. Enumerable.Repeat((long)c.Stride, c.Dims)], dilation = [.. Enumerable.Repeat((long)c.Dilation, c.Dims)];
            long[] zero = new long[c.Dims];
            var y = (c.Dims, c.Transposed) switch
            {
                (1, false) => F.conv1d(xl, wl, bl, c.Stride, 0, c.Dilation, c.Groups),
                (2, false) => F.conv2d(xl, wl, bl, stride, zero, dilation, c.Groups),
                (3, false) => F.conv3d(xl, wl, bl, stride, zero, dilation, c.Groups),
                (1, true) => F.conv_transpose1d(xl, wl, bl, c.Stride, 0, 0, c.Dilation, c.Groups),
                (2, true) => F.conv_transpose2d(xl, wl, bl, stride, zero, zero, dilation, c.Groups),
                _ => F.conv_transpose3d(xl, wl, bl, stride, zero, zero, dilation, c.Groups),
            };
            manual_seed(99);
            var upstream = randn(y.shape);
            y.backward([upstream]);
            return [y.detach(), xl.grad!.detach().clone(), wl.grad!.detach().clone(), bl.grad!.detach().clone()];
        }
        finally { LibtorchContext.OneDnn = false; }
    }
}
