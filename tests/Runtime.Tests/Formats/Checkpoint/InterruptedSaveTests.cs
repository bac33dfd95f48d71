using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>
/// Every state a save over an existing prefix passes through (see BundleFiles): the reader finds a
/// complete checkpoint in each, the old one until the new index is in place, and the next save
/// cleans up whatever was left.
/// </summary>
public class InterruptedSaveTests : IDisposable
{
    readonly TempDirectory dir = new();
    readonly Sequential model = TutorialModel.Create(hidden: 8, compile: false);
    readonly string prefix, index, data;
    readonly string newIndex, newData;

    public InterruptedSaveTests()
    {
        prefix = dir.Combine("cp");
        index = prefix + ".index";
        data = prefix + ".data-00000-of-00001";
        Save(1, prefix);                          // the committed checkpoint
        Save(2, dir.Combine("next"));             // what the interrupted save was writing
        newIndex = dir.Combine("next.index");
        newData = dir.Combine("next.data-00000-of-00001");
    }

    public void Dispose() => dir.Dispose();

    void Save(float value, string where)
    {
        using (no_grad()) foreach (var w in model.Weights) w.Value.fill_(value);
        model.SaveWeightsWithoutState(where);
    }

    float Load()
    {
        var fresh = TutorialModel.Create(hidden: 8, compile: false);
        fresh.LoadWeights(prefix);
        var values = TutorialModel.WeightValues(fresh).SelectMany(v => v).Distinct().ToList();
        Assert.Single(values);
        return values[0];
    }

    [Fact]
    public void Old_index_moved_aside_data_not_yet_reads_the_old_checkpoint()
    {
        File.Move(index, index + ".old");
        Assert.Equal(1, Load());
    }

    [Fact]
    public void Old_index_and_data_moved_aside_reads_the_old_checkpoint()
    {
        File.Move(index, index + ".old");
        File.Move(data, data + ".old");
        Assert.Equal(1, Load());
    }

    [Fact]
    public void New_data_in_place_but_not_the_new_index_reads_the_old_checkpoint()
    {
        File.Move(index, index + ".old");
        File.Move(data, data + ".old");
        File.Move(newData, data);
        Assert.Equal(1, Load());
    }

    [Fact]
    public void New_index_in_place_reads_the_new_checkpoint_even_with_old_files_left()
    {
        File.Move(index, index + ".old");
        File.Move(data, data + ".old");
        File.Move(newData, data);
        File.Move(newIndex, index);
        Assert.Equal(2, Load());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void The_next_save_after_any_interruption_completes_and_leaves_no_old_files(int step)
    {
        File.Move(index, index + ".old");
        if (step >= 2) File.Move(data, data + ".old");
        if (step >= 3) File.Move(newData, data);
        if (step >= 4) File.Move(newIndex, index);
        File.WriteAllText(data + ".tmp-1-dead", "left by a killed save");
        Save(3, prefix);
        Assert.Equal(3, Load());
        Assert.Empty(Directory.GetFiles(dir.Path, "cp*.old"));
        Assert.Empty(Directory.GetFiles(dir.Path, "cp*tmp-*"));
    }
}
