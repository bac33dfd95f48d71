using System.Globalization;
using Layerwise.Layers;
using Layerwise.Models;

namespace Layerwise.Tests.Formats;

/// <summary>
/// A functional model's .h5 read by h5py the way tf.keras 2's <c>load_model</c> walks it: the config's
/// layers with their inbound nodes (every reference names a layer listed before it, as
/// <c>reconstruct_from_config</c> needs), <c>model_weights/layer_names</c> in config order, and each
/// layer's <c>weight_names</c> datasets holding the model's values.
/// </summary>
public class H5PyFunctionalCrossCheckTests
{
    const string Reader = """
        import h5py, json, sys
        import numpy as np
        f = h5py.File(sys.argv[1], 'r')
        text = lambda v: v.decode('utf-8') if hasattr(v, 'decode') else v
        config = json.loads(text(f.attrs['model_config']))
        print('MODEL', config['class_name'], ' '.join(str(x) for x in config['config']['input_layers'][0]))
        seen = set()
        for layer in config['config']['layers']:
            refs = [r[0] + ':' + str(r[1]) for node in layer['inbound_nodes'] for r in node]
            assert all(r.split(':')[0] in seen for r in refs), layer['name']
            seen.add(layer['name'])
            print('LAYER', layer['name'], layer['class_name'], ','.join(refs) or '-')
        weights = f['model_weights']
        names = [text(n) for n in weights.attrs['layer_names']]
        print('NAMES', ' '.join(names))
        for layer in names:
            for w in weights[layer].attrs['weight_names']:
                v = np.asarray(weights[layer][text(w)])
                print('W', text(w), 'x'.join(str(s) for s in v.shape), repr(float(v.astype(np.float64).sum())))
        """;

    [H5PyFact]
    public void Functional_h5_reads_in_h5py_as_tf_keras_2_reads_it()
    {
        using var dir = new TempDirectory();
        var img = Keras.Input([5], name: "xcheck_in");
        var a = new Dense(4, activation: "relu", name: "xcheck_a").Call(img);
        var b = new Dense(4, name: "xcheck_b").Call(img);
        var model = new Functional(img, new Dense(2, name: "xcheck_out").Call(new Add(name: "xcheck_add").Call(a, b)));
        var path = dir.Combine("functional.h5");
        model.Save(path);

        var lines = H5Py.Run(Reader, [path]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();

        Assert.Equal(["MODEL", "Functional", "xcheck_in", "0", "0"], lines[0]);
        Assert.Equal(["LAYER", "xcheck_in", "InputLayer", "-"], lines[1]);
        Assert.Equal(["LAYER", "xcheck_add", "Add", "xcheck_a:0,xcheck_b:0"], lines[4]);
        Assert.Equal(["NAMES", "xcheck_in", "xcheck_a", "xcheck_b", "xcheck_add", "xcheck_out"], lines[6]);
        var weights = lines.Where(l => l[0] == "W").ToList();
        Assert.Equal(model.Weights.Select(w => $"{w.Path}:0"), weights.Select(l => l[1]));
        foreach (var (line, w) in weights.Zip(model.Weights))
        {
            Assert.Equal(string.Join("x", w.Shape), line[2]);
            using var sum = w.Value.detach().to_type(TorchSharp.torch.ScalarType.Float64).sum();
            Assert.Equal(sum.item<double>(), double.Parse(line[3], CultureInfo.InvariantCulture), 9);
        }
    }
}
