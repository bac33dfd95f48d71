using System.Text.Json.Nodes;
using Google.Protobuf;
using Layerwise.Formats;
using Layerwise.Models;

namespace Layerwise.Tests.Formats.SavedModel;

/// <summary>
/// SavedModel directories that cannot be loaded, built from a real one (hkg_mlp: InputLayer, Dense
/// "dense_77", Dense "dense_78"): each is refused with a <see cref="ModelFileException"/> that says what
/// is missing or unsupported, before any model is built.
/// </summary>
public class SavedModelBadFileTests
{
    const string Source = SavedModelFixture.Folder + "/hkg_mlp";

    [FixtureFact(Source)]
    public void Directory_with_only_saved_model_pb_is_refused_naming_keras_metadata()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(Fixtures.Get(Source), "saved_model.pb"), dir.Combine("saved_model.pb"));
        var refusal = Assert.ThrowsAny<ModelFileException>(() => Model.Load(dir.Path));
        Assert.Equal("keras_metadata.pb", refusal.ObjectPath);
        Assert.Contains("has no keras_metadata.pb", refusal.Message);
        Assert.Contains("TensorFlow SavedModel", refusal.Message);
    }

    [FixtureFact(Source)]
    public void Layers_of_classes_without_an_implementation_are_all_named()
    {
        using var dir = CopyWithRootConfig(config =>
        {
            config["config"]!["layers"]![1]!["class_name"] = "MyDense";
            config["config"]!["layers"]![2]!["class_name"] = "Custom>Scaler";
        });
        var refusal = Assert.ThrowsAny<ModelFileException>(() => Model.Load(dir.Path));
        Assert.Contains("Keras layer class 'MyDense' (layer \"dense_77\" at config.layers[1]) is not implemented in Layerwise", refusal.Message);
        Assert.Contains("Keras layer class 'Custom>Scaler' (layer \"dense_78\" at config.layers[2])", refusal.Message);
    }

    [FixtureFact(Source)]
    public void Lambda_layer_is_refused_naming_it()
    {
        using var dir = CopyWithRootConfig(config => config["config"]!["layers"]![2]!["class_name"] = "Lambda");
        var refusal = Assert.Throws<LambdaLayerException>(() => Model.Load(dir.Path));
        Assert.Equal("dense_78", refusal.LayerName);
    }

    [FixtureFact(Source)]
    public void Subclassed_model_without_a_config_is_refused()
    {
        using var dir = CopyWithRootConfig(config =>
        {
            config["class_name"] = "MyModel";
            config["config"] = null;
        });
        var refusal = Assert.ThrowsAny<ModelFileException>(() => Model.Load(dir.Path));
        Assert.Contains("subclassed Keras model (class \"MyModel\"", refusal.Message);
    }

    [FixtureFact(SavedModelFixture.Folder)]
    public void Metadata_from_another_save_is_refused_before_weights_are_read()
    {
        using var dir = Copy(SavedModelFixture.Folder + "/irises");
        File.Copy(Path.Combine(Fixtures.Get(Source), "keras_metadata.pb"), dir.Combine("keras_metadata.pb"), overwrite: true);
        var refusal = Assert.ThrowsAny<ModelFileException>(() => Model.Load(dir.Path));
        Assert.Contains("keras_metadata.pb node", refusal.ObjectPath);
    }

    [FixtureFact(Source)]
    public void Config_that_leaves_saved_variables_unread_is_refused()
    {
        using var dir = CopyWithRootConfig(config => config["config"]!["layers"]![1]!["config"]!["use_bias"] = false);
        var refusal = Assert.ThrowsAny<ModelFileException>(() => Model.Load(dir.Path));
        Assert.Contains("the saved layer \"dense_77\" has 2 variables, but the layer rebuilt from its config has 1 weights (kernel)", refusal.Message);
    }

    [FixtureFact(Source)]
    public void Truncated_keras_metadata_is_refused()
    {
        using var dir = Copy(Source);
        var path = dir.Combine("keras_metadata.pb");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var refusal = Assert.ThrowsAny<ModelFileException>(() => Model.Load(dir.Path));
        Assert.Equal("keras_metadata.pb", refusal.ObjectPath);
    }

    [FixtureFact(Source)]
    public void Missing_variables_are_refused()
    {
        using var dir = Copy(Source);
        Directory.Delete(dir.Combine("variables"), recursive: true);
        var refusal = Assert.ThrowsAny<ModelFileException>(() => Model.Load(dir.Path));
        Assert.Contains("variables/variables.index", refusal.ObjectPath);
    }

    static TempDirectory Copy(string fixture)
    {
        var dir = new TempDirectory();
        var source = Fixtures.Get(fixture);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dir.Path, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return dir;
    }

    /// <summary>A copy of hkg_mlp whose keras_metadata.pb has the root node's JSON changed by <paramref name="edit"/> (written back field by field).</summary>
    static TempDirectory CopyWithRootConfig(Action<JsonObject> edit)
    {
        var dir = Copy(Source);
        var path = dir.Combine("keras_metadata.pb");
        var input = new CodedInputStream(File.ReadAllBytes(path));
        using var output = new MemoryStream();
        var writer = new CodedOutputStream(output);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var node = input.ReadBytes();   // SavedMetadata.nodes = 1
            var fields = node.CreateCodedInput();
            using var rewritten = new MemoryStream();
            var nodeWriter = new CodedOutputStream(rewritten);
            int nodeId = 0;
            uint field;
            while ((field = fields.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(field))
                {
                    case 2: nodeId = fields.ReadInt32(); nodeWriter.WriteTag(field); nodeWriter.WriteInt32(nodeId); break;
                    case 3 or 4: nodeWriter.WriteTag(field); nodeWriter.WriteString(fields.ReadString()); break;
                    case 5:
                        var json = (JsonObject)JsonNode.Parse(fields.ReadString())!;
                        if (nodeId == 0) edit(json);
                        nodeWriter.WriteTag(field);
                        nodeWriter.WriteString(json.ToJsonString());
                        break;
                    default: fields.SkipLastField(); break;
                }
            }
            nodeWriter.Flush();
            writer.WriteTag(tag);
            writer.WriteBytes(ByteString.CopyFrom(rewritten.ToArray()));
        }
        writer.Flush();
        File.WriteAllBytes(path, output.ToArray());
        return dir;
    }
}
