using SkiaSharp;

namespace Layerwise.Tests.Plotting;

/// <summary>Checks that a PNG decodes, has the expected size, and that each chart cell holds a drawing (not a blank page).</summary>
internal static class PngCheck
{
    public static void ChartsDrawn(string path, int charts, int columns, int rows, int cellWidth, int cellHeight)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal(columns * cellWidth, bitmap.Width);
        Assert.Equal(rows * cellHeight, bitmap.Height);
        for (int chart = 0; chart < charts; chart++)
            {
                int c = chart % columns, r = chart / columns;
                // Coloured pixels (the two curves, blue and orange) in every cell: a chart was drawn there.
                int coloured = 0;
                for (int x = c * cellWidth; x < (c + 1) * cellWidth; x += 2)
                    for (int y = r * cellHeight; y < (r + 1) * cellHeight; y += 2)
                    {
                        var p = bitmap.GetPixel(x, y);
                        if (Math.Abs(p.Red - p.Blue) > 80) coloured++;
                    }
                Assert.True(coloured > 50, $"chart cell ({c}, {r}) has {coloured} coloured pixels: nothing was drawn there");
            }
    }
}
