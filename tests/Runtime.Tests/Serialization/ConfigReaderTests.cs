using System.Text.Json.Nodes;
using Layerwise.Layers;
using Layerwise.Serialization;

namespace Layerwise.Tests.Serialization;

/// <summary>The readers generated FromConfig code calls for enums and nullable objects.</summary>
public class ConfigReaderTests
{
    static ConfigReader Reader(string json) => new((JsonObject)JsonNode.Parse(json)!, "Probe");

    static readonly ConfigEnum<Padding> Paddings = new([Padding.Valid, Padding.Same], ["valid", "same"]);

    [Fact]
    public void OptionalOrNull_is_null_when_the_key_is_absent_or_null_and_reads_the_value_otherwise()
    {
        var read = ConfigValues.ArrayOf<int>(ConfigValues.Int32Reader);
        Assert.Null(Reader("{}").OptionalOrNull("sizes", read));
        Assert.Null(Reader("""{"sizes": null}""").OptionalOrNull("sizes", read));
        Assert.Equal([3, 4], Reader("""{"sizes": [3, 4]}""").OptionalOrNull("sizes", read)!);
        var e = Assert.Throws<ConfigException>(() => Reader("""{"sizes": "x"}""").OptionalOrNull("sizes", read)!);
        Assert.Contains("Probe.config.sizes", e.Message);
    }

    [Fact]
    public void An_enum_table_reads_its_names_with_the_default_for_an_absent_key()
    {
        Assert.Equal(Padding.Same, Paddings.Optional(Reader("""{"padding": "same"}"""), "padding", Padding.Valid));
        Assert.Equal(Padding.Valid, Paddings.Optional(Reader("{}"), "padding", Padding.Valid));
        Assert.Equal(Padding.Same, Paddings.Required(Reader("""{"padding": "same"}"""), "padding"));
        var missing = Assert.Throws<ConfigException>(() => Paddings.Required(Reader("{}"), "padding"));
        Assert.Contains("\"padding\" is required (Padding)", missing.Message);
        var wrong = Assert.Throws<ConfigException>(() => Paddings.Optional(Reader("""{"padding": "full"}"""), "padding", Padding.Valid));
        Assert.Contains("expected one of \"valid\", \"same\"", wrong.Message);
        Assert.Equal("\"same\"", Paddings.Writer(Padding.Same)!.ToJsonString());
    }
}
