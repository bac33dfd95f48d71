using Layerwise.Formats.Checkpoint;
using static TorchSharp.torch;

namespace Layerwise.Tests.Formats.Checkpoint;

/// <summary>
/// A replaced data file of <see cref="BundleFiles.DeferDeletionFromBytes"/> or more is deleted in the
/// background (see BundleFiles): its <c>.old</c> name is free when the save returns, the new
/// checkpoint loads, and nothing is left once the deletion ran, or after the next save when it never did.
/// </summary>
public class DeferredDeletionTests : IDisposable
{
    readonly TempDirectory dir = new();
    readonly string prefix;

    public DeferredDeletionTests() => prefix = dir.Combine("cp");

    public void Dispose() => dir.Dispose();

    void Save(float value)
    {
        // Just above the threshold, so that the replaced data file takes the background path.
        using var tensor = full(BundleFiles.DeferDeletionFromBytes / sizeof(float) + 1, value);
        using var writer = new BundleWriter(prefix);
        writer.Add("w", tensor);
        writer.Commit();
    }

    float Load()
    {
        using var reader = BundleReader.Open(prefix);
        using var tensor = reader.ReadTensor("w");
        var values = tensor.data<float>().ToArray().Distinct().ToList();
        Assert.Single(values);
        return values[0];
    }

    string[] Files() => [.. Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)).Order()];

    [Fact]
    public void A_replaced_large_data_file_leaves_its_old_name_at_once_and_is_deleted_in_the_background()
    {
        Save(1);
        Save(2);

        // The .old name is free before the deletion runs: the next save's swap may need it.
        Assert.Empty(Directory.GetFiles(dir.Path, "cp*.old"));
        Assert.Equal(2, Load());
        DeferredDeletion.WaitForPending();
        Assert.Equal(["cp.data-00000-of-00001", "cp.index"], Files());
    }

    [Fact]
    public void Saves_in_a_row_each_load_while_earlier_deletions_may_still_be_pending()
    {
        for (int k = 1; k <= 4; k++)
        {
            Save(k);
            Assert.Equal(k, Load());
        }
        DeferredDeletion.WaitForPending();
        Assert.Equal(["cp.data-00000-of-00001", "cp.index"], Files());
    }

    [Fact]
    public void A_deletion_that_never_ran_is_done_by_the_next_save()
    {
        Save(1);
        // What a process killed between the commit and the background deletion leaves.
        File.WriteAllText(dir.Combine("cp.data-00000-of-00001.old.tmp-1-dead"), "previous data, renamed for deletion");
        Save(2);
        DeferredDeletion.WaitForPending();
        Assert.Equal(2, Load());
        Assert.Equal(["cp.data-00000-of-00001", "cp.index"], Files());
    }

    [Fact]
    public void Deleting_a_bundle_takes_its_large_data_file_too()
    {
        Save(1);
        BundleFiles.Delete(prefix);
        Assert.False(BundleFiles.Exists(prefix));
        DeferredDeletion.WaitForPending();
        Assert.Empty(Files());
    }
}
