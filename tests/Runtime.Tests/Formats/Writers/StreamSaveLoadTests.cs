using Layerwise.Formats;
using Layerwise.Models;
using Layerwise.Tests.Formats.Hdf5;
using Layerwise.Tests.Support;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Writers;

/// <summary>
/// <c>Save(Stream)</c>/<c>Load(Stream)</c> and <c>SaveWeights(Stream)</c>/<c>LoadWeights(Stream)</c> for the
/// single-file formats: round trips through a MemoryStream and through a stream that cannot seek give
/// back the saved weights; the bytes written to a stream are a file that <c>Load(path)</c> reads, and a
/// file written by <c>Save(path)</c> (or by Keras) loads from a FileStream; other bytes are refused.
/// </summary>
public class StreamSaveLoadTests
{
    [Theory]
    [InlineData(ModelFileFormat.H5, ".h5")]
    [InlineData(ModelFileFormat.Keras, ".keras")]
    public void A_model_saved_to_a_stream_loads_from_it_and_from_a_file_of_those_bytes(ModelFileFormat format, string extension)
    {
        var model = TutorialModel.Create(hidden: 16);
        var expected = TutorialModel.WeightValues(model);
        using var memory = new MemoryStream();
        model.Save(memory, format);

        memory.Position = 0;
        var fromStream = Model.Load(memory);
        Assert.Equal(expected, TutorialModel.WeightValues(fromStream));
        Assert.True(fromStream.IsCompiled, "the training config travels with the model");

        using var dir = new TempDirectory();
        var path = dir.Combine("model" + extension);
        File.WriteAllBytes(path, memory.ToArray());
        Assert.Equal(expected, TutorialModel.WeightValues(Model.Load(path)));
    }

    [Theory]
    [InlineData(ModelFileFormat.H5, "model.h5")]
    [InlineData(ModelFileFormat.Keras, "model.keras")]
    public void Streams_that_cannot_seek_work_both_ways(ModelFileFormat format, string fileName)
    {
        var model = TutorialModel.Create(hidden: 16);
        var expected = TutorialModel.WeightValues(model);
        using var dir = new TempDirectory();
        model.Save(dir.Combine(fileName));

        using var written = new MemoryStream();
        model.Save(new ForwardOnlyStream(written), format);
        Assert.True(written.Length > 0);

        using (var file = File.OpenRead(dir.Combine(fileName)))
            Assert.Equal(expected, TutorialModel.WeightValues(Model.Load(new ForwardOnlyStream(file))));
        written.Position = 0;
        Assert.Equal(expected, TutorialModel.WeightValues(Model.Load(new ForwardOnlyStream(written))));
    }

    [Fact]
    public void Hdf5_model_bytes_written_to_a_stream_equal_the_file_save_writes()
    {
        var model = TutorialModel.Create(hidden: 16, compile: false);
        using var dir = new TempDirectory();
        model.Save(dir.Combine("model.h5"));
        using var memory = new MemoryStream();
        model.Save(memory, ModelFileFormat.H5);
        Assert.Equal(File.ReadAllBytes(dir.Combine("model.h5")), memory.ToArray());
    }

    [Theory]
    [InlineData(WeightsFileFormat.WeightsH5)]
    [InlineData(WeightsFileFormat.H5)]
    public void Weights_saved_to_a_stream_load_into_a_fresh_model(WeightsFileFormat format)
    {
        var model = TutorialModel.Create(hidden: 16, compile: false);
        using var memory = new MemoryStream();
        model.SaveWeights(memory, format);

        var fresh = TutorialModel.Create(hidden: 16, compile: false);
        Assert.NotEqual(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));
        memory.Position = 0;
        fresh.LoadWeights(new ForwardOnlyStream(memory));
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));
    }

    [Fact]
    public void Weights_bytes_written_to_a_stream_are_the_file_SaveWeights_writes()
    {
        var model = TutorialModel.Create(hidden: 16, compile: false);
        using var dir = new TempDirectory();
        using var memory = new MemoryStream();
        model.SaveWeights(memory, WeightsFileFormat.WeightsH5);
        File.WriteAllBytes(dir.Combine("w.weights.h5"), memory.ToArray());
        var fresh = TutorialModel.Create(hidden: 16, compile: false);
        fresh.LoadWeights(dir.Combine("w.weights.h5"));
        Assert.Equal(TutorialModel.WeightValues(model), TutorialModel.WeightValues(fresh));
    }

    [FixtureFact("keras3")]
    public void A_Keras3_archive_read_from_a_FileStream_predicts_what_Keras_computed()
    {
        using var file = File.OpenRead(Fixtures.Get("keras3/iris_mlp/model.keras"));
        var model = Model.Load(file);
        using var x = KerasH5FixtureTests.ReadFloats(Fixtures.Get("keras3/iris_mlp/inputs.f32")).reshape(8, 4);
        using var expected = KerasH5FixtureTests.ReadFloats(Fixtures.Get("keras3/iris_mlp/expected.f32"));
        using var actual = model.Predict(x).flatten();
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-4), "predictions differ from Keras'");
    }

    [FixtureFact("keras-h5")]
    public void A_Keras2_h5_read_from_a_FileStream_is_the_model_read_from_its_path()
    {
        var path = Fixtures.Get("keras-h5/dig94_Mnsit__keras_mnist.h5");
        using var file = File.OpenRead(path);
        var fromStream = Model.Load(file);
        Assert.Equal(TutorialModel.WeightValues(Model.Load(path)), TutorialModel.WeightValues(fromStream));
    }

    [Fact]
    public void Bytes_that_are_neither_HDF5_nor_zip_are_refused_with_a_ModelFileException()
    {
        using var garbage = new MemoryStream("not a model file at all"u8.ToArray());
        var error = Assert.Throws<ModelFileException>(() => Model.Load(garbage));
        Assert.Contains("neither signature", error.Message, StringComparison.Ordinal);

        using var zip = new MemoryStream();
        TutorialModel.Create(hidden: 16, compile: false).Save(zip, ModelFileFormat.Keras);
        zip.Position = 0;
        var weightsError = Assert.Throws<ModelFileException>(() => TutorialModel.Create(hidden: 16, compile: false).LoadWeights(zip));
        Assert.Contains("Model.Load(stream)", weightsError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_stream_cannot_be_saved_to()
    {
        using var readOnly = new MemoryStream(new byte[16], writable: false);
        Assert.Throws<ArgumentException>(() => TutorialModel.Create(hidden: 16, compile: false).Save(readOnly, ModelFileFormat.H5));
    }

    /// <summary>A stream that reads or writes forward only (CanSeek false, Position and Length throw), as a network stream does.</summary>
    sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
