using System.Globalization;
using Layerwise.Formats.Hdf5;
using Layerwise.Layers;
using Layerwise.Models;
using Layerwise.Tests.Serialization;
using PureHDF;
using TorchSharp;

namespace Layerwise.Tests.Formats;

/// <summary>
/// Files written here, read by an independent reader (Debian's h5py) the way Keras' loaders read
/// them: attributes decoded as Keras 2's <c>load_attributes_from_hdf5_group</c> does (chunks
/// included), configs parsed as JSON, weights found through <c>layer_names</c>/<c>weight_names</c>
/// (Keras 2 .h5) or <c>layers/&lt;name&gt;/vars/&lt;i&gt;</c> inside the zip (Keras 3 .keras); every
/// weight's shape and values compared with the model's.
/// </summary>
public class H5PyCrossCheckTests
{
    public H5PyCrossCheckTests() => TutorialModel.SingleThread();

    const string KerasLoader = """
        import h5py, json, sys, zipfile, io
        import numpy as np

        def load_attributes(group, name):
            # keras/saving/legacy/hdf5_format.py load_attributes_from_hdf5_group
            if name in group.attrs:
                return [n.decode('utf8') if hasattr(n, 'decode') else n for n in group.attrs[name]]
            data, chunk_id = [], 0
            while '%s%d' % (name, chunk_id) in group.attrs:
                data.extend([n.decode('utf8') if hasattr(n, 'decode') else n for n in group.attrs['%s%d' % (name, chunk_id)]])
                chunk_id += 1
            return data

        def text(value):
            return value.decode('utf-8') if hasattr(value, 'decode') else value

        def show(label, value):
            v = np.asarray(value)
            flat = v.astype(np.float64).ravel()
            first = repr(float(flat[0])) if flat.size else 'nan'
            print('W', label, 'x'.join(str(s) for s in v.shape) or 'scalar', v.dtype, repr(float(flat.sum())), first)

        path = sys.argv[1]
        if path.endswith('.h5'):
            f = h5py.File(path, 'r')
            config = json.loads(text(f.attrs['model_config']))
            print('MODEL', config['class_name'], text(f.attrs['keras_version']), text(f.attrs['backend']))
            if 'training_config' in f.attrs:
                training = json.loads(text(f.attrs['training_config']))
                print('TRAINING', training['optimizer_config']['class_name'], json.dumps(training['loss']['class_name']))
            weights = f['model_weights']
            for layer in load_attributes(weights, 'layer_names'):
                for name in load_attributes(weights[layer], 'weight_names'):
                    show(name, weights[layer][name])
            if 'optimizer_weights' in f:
                group = f['optimizer_weights']
                for name in load_attributes(group, 'weight_names'):
                    show('optimizer:' + name, group[name])
        else:
            with zipfile.ZipFile(path, 'r') as z:
                names = sorted(z.namelist())
                config = json.loads(z.read('config.json'))
                metadata = json.loads(z.read('metadata.json'))
                print('MODEL', config['class_name'], metadata['keras_version'], ','.join(names))
                if 'compile_config' in config:
                    print('TRAINING', config['compile_config']['optimizer']['class_name'], json.dumps(config['compile_config']['loss']['class_name']))
                f = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
                def visit(name, obj):
                    if isinstance(obj, h5py.Dataset):
                        show(name, obj[()])
                f.visititems(visit)
        """;

    static List<string[]> Read(string path) =>
        [.. H5Py.Run(KerasLoader, [path]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))];

    static void AssertWeight(string[] line, TorchSharp.torch.Tensor value)
    {
        using var cpu = value.detach().cpu().to_type(torch.ScalarType.Float64);
        Assert.Equal(cpu.shape.Length == 0 ? "scalar" : string.Join("x", cpu.shape), line[2]);
        double sum = cpu.sum().item<double>();
        double fileSum = double.Parse(line[4], CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(sum - fileSum) <= 1e-9 * Math.Max(1, Math.Abs(sum)), $"{line[1]}: sum {fileSum} in the file, {sum} in the model");
        if (cpu.numel() > 0)
            Assert.Equal(cpu.flatten()[0].item<double>(), double.Parse(line[5], CultureInfo.InvariantCulture));
    }

    static Sequential TrainedTutorialModel()
    {
        Backend.SetRandomSeed(21);
        var (x, y) = TutorialModel.Data(64);
        var model = TutorialModel.Create(hidden: 24);
        model.Fit(x, y, batchSize: 32, epochs: 1, verbose: 0);
        return model;
    }

    [H5PyFact]
    public void Tutorial_model_h5_reads_in_h5py_as_Keras_2_reads_it()
    {
        using var dir = new TempDirectory();
        var model = TrainedTutorialModel();
        var path = dir.Combine("my_model.h5");
        model.Save(path);
        var lines = Read(path);
        Assert.Equal(["MODEL", "Sequential", KerasH5Weights.KerasVersion, "tensorflow"], lines[0]);
        Assert.Equal(["TRAINING", "Adam", "\"SparseCategoricalCrossentropy\""], lines[1]);
        var weights = lines.Where(l => l[0] == "W" && !l[1].StartsWith("optimizer:", StringComparison.Ordinal)).ToList();
        Assert.Equal(model.Weights.Select(w => $"{w.Path}:0"), weights.Select(l => l[1]));
        foreach (var (line, w) in weights.Zip(model.Weights)) AssertWeight(line, w.Value);
        Assert.All(weights, l => Assert.Equal("float32", l[3]));

        var optimizer = lines.Where(l => l[0] == "W" && l[1].StartsWith("optimizer:", StringComparison.Ordinal)).ToList();
        Assert.Equal("optimizer:Adam/iter:0", optimizer[0][1]);
        Assert.Equal("int64", optimizer[0][3]);
        Assert.Equal(model.Optimizer!.Iterations.ToString(CultureInfo.InvariantCulture), optimizer[0][5].Replace(".0", ""));
        var slots = model.Optimizer.SlotNames.SelectMany(s => model.TrainableWeights.Select(v => (Name: $"optimizer:Adam/{v.Path}/{s}:0", Value: model.Optimizer.GetSlot(v, s)))).ToList();
        Assert.Equal(slots.Select(s => s.Name), optimizer.Skip(1).Select(l => l[1]));
        foreach (var (line, slot) in optimizer.Skip(1).Zip(slots)) AssertWeight(line, slot.Value);
    }

    [H5PyFact]
    public void Model_with_a_custom_layer_h5_reads_in_h5py_as_Keras_2_reads_it()
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(22);
        var model = new Sequential(new Dense(8, activation: "relu", inputShape: [5]), new Antirectifier(4), new Dense(2));
        var path = dir.Combine("custom.h5");
        model.Save(path);
        var lines = Read(path);
        Assert.Equal("Sequential", lines[0][1]);
        var weights = lines.Where(l => l[0] == "W").ToList();
        Assert.Equal(model.Weights.Count, weights.Count);
        foreach (var (line, w) in weights.Zip(model.Weights)) AssertWeight(line, w.Value);
        Assert.Contains(weights, l => l[1] == $"{model.Layers[1].Name}/kernel:0");
    }

    [H5PyFact]
    public void Keras_archive_reads_in_h5py_with_Keras_3_layout()
    {
        using var dir = new TempDirectory();
        var model = TrainedTutorialModel();
        var path = dir.Combine("my_model.keras");
        model.Save(path);
        var lines = Read(path);
        Assert.Equal(["MODEL", "Sequential", "3.6.0", "config.json,metadata.json,model.weights.h5"], lines[0]);
        Assert.Equal(["TRAINING", "Adam", "\"SparseCategoricalCrossentropy\""], lines[1]);
        var byName = lines.Where(l => l[0] == "W").ToDictionary(l => l[1]);
        AssertWeight(byName["layers/dense/vars/0"], model.Layers[0].Weights[0].Value);
        AssertWeight(byName["layers/dense/vars/1"], model.Layers[0].Weights[1].Value);
        AssertWeight(byName["layers/dense_1/vars/0"], model.Layers[2].Weights[0].Value);
        Assert.Equal("int64", byName["optimizer/vars/0"][3]);
        AssertWeight(byName["optimizer/vars/2"], model.Optimizer!.GetSlot(model.Layers[0].Weights[0], "m"));
        AssertWeight(byName["optimizer/vars/3"], model.Optimizer.GetSlot(model.Layers[0].Weights[0], "v"));
        Assert.Equal(2 + 2 * 4, byName.Keys.Count(k => k.StartsWith("optimizer/", StringComparison.Ordinal)));
    }

    [H5PyFact]
    public void Gru_weights_read_in_h5py_under_tf_keras_and_Keras_3_names_and_shapes()
    {
        using var dir = new TempDirectory();
        Backend.SetRandomSeed(23);
        var model = new Sequential(new GRU(3, returnSequences: true, inputShape: [5, 4], name: "gru"), new GRU(2, resetAfter: false, name: "gru_old"), new Dense(1));
        var h5 = dir.Combine("gru.h5");
        model.Save(h5);
        // tf.keras 2: <layer>/<layer>_cell/<weight>:0; reset_after's bias is (2, 3·units).
        var weights = Read(h5).Where(l => l[0] == "W").ToList();
        Assert.Equal(["gru/gru_cell/kernel:0", "gru/gru_cell/recurrent_kernel:0", "gru/gru_cell/bias:0",
                      "gru_old/gru_old_cell/kernel:0", "gru_old/gru_old_cell/recurrent_kernel:0", "gru_old/gru_old_cell/bias:0"],
                     weights.Take(6).Select(l => l[1]));
        Assert.Equal(["4x9", "3x9", "2x9", "3x6", "2x6", "6"], weights.Take(6).Select(l => l[2]));
        foreach (var (line, w) in weights.Zip(model.Weights)) AssertWeight(line, w.Value);

        // Keras 3: layers/<class name in snake_case, numbered>/cell/vars/<i>.
        var archive = dir.Combine("gru.keras");
        model.Save(archive);
        var byName = Read(archive).Where(l => l[0] == "W").ToDictionary(l => l[1]);
        AssertWeight(byName["layers/gru/cell/vars/2"], model.Layers[0].Weights[2].Value);
        AssertWeight(byName["layers/gru_1/cell/vars/0"], model.Layers[1].Weights[0].Value);
    }

    [H5PyFact]
    public void Long_name_lists_are_chunked_as_Keras_chunks_them_and_read_back_both_ways()
    {
        using var dir = new TempDirectory();
        var names = Enumerable.Range(0, 3000).Select(i => $"a_rather_long_layer_name_number_{i:D5}").ToList();
        var file = new H5File();
        Hdf5Output.AddStringList(file.Attributes, "layer_names", names);
        Hdf5Output.AddStringList(file.Attributes, "empty", []);
        Assert.False(file.Attributes.ContainsKey("layer_names"));
        Assert.True(file.Attributes.ContainsKey("layer_names1"));
        var path = dir.Combine("chunked.h5");
        file.Write(path);

        using (var input = Hdf5Input.Open(path, path))
        {
            Assert.Equal(names, input.ReadStringList(input.Root, "layer_names"));
            Assert.Empty(input.ReadStringList(input.Root, "empty"));
        }
        var script = """
            import h5py, sys
            f = h5py.File(sys.argv[1], 'r')
            data, chunk_id = [], 0
            while 'layer_names%d' % chunk_id in f.attrs:
                data.extend([n.decode('utf8') if hasattr(n, 'decode') else n for n in f.attrs['layer_names%d' % chunk_id]])
                chunk_id += 1
            print(chunk_id, len(data), data[0], data[-1], f.attrs['empty'].dtype, f.attrs['empty'].shape)
            """;
        var output = H5Py.Run(script, [path]).Trim().Split(' ');
        Assert.True(int.Parse(output[0], CultureInfo.InvariantCulture) >= 2);
        Assert.Equal(["3000", names[0], names[^1], "float64", "(0,)"], output[1..]);
    }
}
