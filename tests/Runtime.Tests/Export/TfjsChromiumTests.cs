using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Layerwise.Models;
using static TorchSharp.torch;

namespace Layerwise.Tests.Export;

/// <summary>
/// A real browser: Debian's Chromium, headless, opens tests/Tfjs/page.html from a local HTTP server; the page loads
/// an export with <c>tf.loadLayersModel(url, {strict: true})</c> (fetching model.json and its shards as any web app
/// does) and shows the predictions, which are read back from the DOM (<c>--dump-dom</c>) and compared with Layerwise's.
/// The page's screenshot is left at <see cref="ScreenshotPath"/>. Skipped, with the reason, without Chromium or the npm package.
/// </summary>
[Collection(GlobalRandomState.Name)]
public class TfjsChromiumTests
{
    public static readonly string ScreenshotPath = Path.Combine(Path.GetTempPath(), "layerwise-tfjs-page.png");

    [ChromiumFact]
    public void Chromium_loads_the_export_and_shows_the_predictions_Layerwise_makes()
    {
        using var dir = new TempDirectory();
        var (model, inputs) = TfjsModelKinds.Create("merges_two_inputs");
        model.SaveTfjs(dir.Combine("model"));
        var inputsJson = new JsonArray([.. inputs.Select(t => (JsonNode)new JsonObject
        {
            ["shape"] = new JsonArray([.. t.shape.Select(d => (JsonNode)JsonValue.Create(d))]),
            ["data"] = new JsonArray([.. t.data<float>().ToArray().Select(v => (JsonNode)JsonValue.Create(v))]),
        })]);
        File.WriteAllText(dir.Combine("model", "inputs.json"), inputsJson.ToJsonString());

        using var server = new StaticServer(("/tfjs/", TfjsNode.Folder!), ("/model/", dir.Combine("model")));
        var url = $"{server.Root}tfjs/page.html?model=/model/model.json&inputs=/model/inputs.json";
        var (code, dom, error) = Chromium.Run([.. Chromium.Flags, "--dump-dom", url]);
        Assert.True(code == 0, $"chromium exited with {code}: {error}");
        var start = dom.IndexOf("<pre id=\"predictions\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the page has no predictions element:\n{dom}");
        var text = WebUtility.HtmlDecode(dom[(start + "<pre id=\"predictions\">".Length)..dom.IndexOf("</pre>", start, StringComparison.Ordinal)]);
        Assert.False(string.IsNullOrEmpty(text), $"the page showed no predictions; its status: {Status(dom)}");
        var outputs = JsonNode.Parse(text)!["outputs"]!.AsArray();
        var actual = outputs.Select(o => (
            o!["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray(),
            o["data"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray())).ToList();
        TfjsExportTests.AssertClose(TfjsExportTests.Predictions(model, inputs), actual, "chromium");

        File.Delete(ScreenshotPath);
        var shot = Chromium.Run([.. Chromium.Flags, "--window-size=900,500", $"--screenshot={ScreenshotPath}", url]);
        Assert.True(shot.Code == 0 && File.Exists(ScreenshotPath) && new FileInfo(ScreenshotPath).Length > 0, $"no screenshot: {shot.Error}");
    }

    static string Status(string dom)
    {
        int i = dom.IndexOf("id=\"status\"", StringComparison.Ordinal);
        return i < 0 ? "(none)" : dom[i..Math.Min(dom.Length, i + 300)];
    }

    /// <summary>Serves files from folders under URL prefixes on 127.0.0.1 (the page fetches the model over HTTP, as a web app does).</summary>
    sealed class StaticServer : IDisposable
    {
        readonly HttpListener listener = new();
        readonly (string Prefix, string Folder)[] mounts;

        public StaticServer(params (string Prefix, string Folder)[] mounts)
        {
            this.mounts = mounts;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Root = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(Root);
            listener.Start();
            _ = Task.Run(Serve);
        }

        public string Root { get; }

        async Task Serve()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath);
                var file = mounts.Where(m => path.StartsWith(m.Prefix, StringComparison.Ordinal))
                    .Select(m => Path.GetFullPath(Path.Combine(m.Folder, path[m.Prefix.Length..])))
                    .FirstOrDefault(f => mounts.Any(m => f.StartsWith(Path.GetFullPath(m.Folder), StringComparison.Ordinal)) && File.Exists(f));
                if (file is null) context.Response.StatusCode = 404;
                else
                {
                    context.Response.ContentType = Path.GetExtension(file) switch
                    {
                        ".html" => "text/html; charset=utf-8", ".js" => "text/javascript", ".json" => "application/json", _ => "application/octet-stream",
                    };
                    var bytes = await File.ReadAllBytesAsync(file);
                    await context.Response.OutputStream.WriteAsync(bytes);
                }
                context.Response.Close();
            }
        }

        public void Dispose() => listener.Close();
    }
}

/// <summary>Debian's Chromium (<c>apt-get install chromium</c>; CI installs it, see .ci/run), run headless.</summary>
internal static class Chromium
{
    public static readonly string? Binary = new[] { "chromium", "chromium-browser" }
        .Select(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists))
        .FirstOrDefault(p => p is not null);

    /// <summary>Headless without a GPU or sandbox (tests may run as root); virtual time lets the page's fetches and predictions finish before the DOM is dumped.</summary>
    public static readonly string[] Flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--virtual-time-budget=30000"];

    public static (int Code, string Output, string Error) Run(IEnumerable<string> arguments) =>
        TfjsNode.Execute(Binary!, arguments, Path.GetTempPath());
}

/// <summary>A fact that needs Chromium and the tfjs npm package: skipped, with the reason, when either is missing.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Binary is null) Skip = "Browser check skipped: chromium is not on PATH (apt-get install chromium).";
        else if (TfjsNode.Missing is { } why) Skip = $"Browser check skipped: {why}.";
    }
}
