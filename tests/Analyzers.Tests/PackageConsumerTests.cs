using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Layerwise.Analyzers.Tests;

/// <summary>
/// Packs the Layerwise package to a local folder feed and builds a small consumer project from it
/// (outside the repository, so none of its build settings apply): the consumer compiles only if the
/// packed generator wrote <c>FromConfig</c>, and its build output must carry a packed analyzer's
/// diagnostic. The consumer is a class library, so libtorch is not copied.
/// </summary>
[Collection(RepositoryBuild.Collection)]
public class PackageConsumerTests
{
    const string ConsumerProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Layerwise" Version="$VERSION$" />
          </ItemGroup>
        </Project>
        """;

    const string ConsumerSource = """
        using System.Text.Json.Nodes;
        using Layerwise;
        using Layerwise.Layers;
        using static TorchSharp.torch;

        namespace Consumer;

        [Layer]
        public partial class Scale : Layer
        {
            public Scale(double factor, int forgotten = 0)
            {
                Factor = factor;
            }

            public double Factor { get; }

            public override Tensor Call(Tensor inputs, bool training = false) => inputs * Factor;
        }

        public static class Use
        {
            // Compiles only with the generated FromConfig.
            public static Layer Restore() => Scale.FromConfig(new JsonObject { ["factor"] = 2.0 });
        }
        """;

    [Fact]
    public void Packed_package_gives_a_consumer_the_generated_code_and_the_diagnostics()
    {
        var work = Directory.CreateTempSubdirectory("layerwise-package-");
        var packages = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "layerwise");
        string? cached = null;
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            // The version comes from git (MinVer), as a user's pack would get it; the Debug build is reused.
            var (packExit, packOutput) = RepositoryBuild.Dotnet(RepositoryBuild.Root, "pack", "src/Runtime/Layerwise.csproj",
                "-c", "Debug", "-o", feed, "-nologo");
            Assert.True(packExit == 0, "dotnet pack failed:\n" + packOutput);

            var package = Directory.GetFiles(feed, "Layerwise.*.nupkg").Single();
            var version = Path.GetFileNameWithoutExtension(package)["Layerwise.".Length..];
            // An earlier pack of the same commit may sit in the NuGet cache with other contents: restore from this one.
            cached = Path.Combine(packages, version);
            if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            using (var zip = ZipFile.OpenRead(package))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
                foreach (var dll in new[] { "Layerwise.Generators.dll", "Layerwise.Analyzers.dll", "Layerwise.Analyzers.CodeFixes.dll" })
                    Assert.Contains("analyzers/dotnet/cs/" + dll, entries);
            }

            var consumer = Path.Combine(work.FullName, "consumer");
            Directory.CreateDirectory(consumer);
            File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), ConsumerProject.Replace("$VERSION$", version));
            File.WriteAllText(Path.Combine(consumer, "Scale.cs"), ConsumerSource);
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="layerwise-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);

            var (buildExit, buildOutput) = RepositoryBuild.Dotnet(consumer, "build", "Consumer.csproj", "-nologo", "-clp:NoSummary");
            Assert.True(buildExit == 0, "The consumer must build (FromConfig generated):\n" + buildOutput);
            Assert.True(Regex.IsMatch(buildOutput, @"Scale\.cs\(11,37\): warning LW1001: Constructor parameter 'forgotten' of 'Scale'"),
                "The packed analyzers must report LW1001 on 'forgotten':\n" + buildOutput);
        }
        finally
        {
            work.Delete(recursive: true);
            if (cached is not null && Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            if (Directory.Exists(packages) && !Directory.EnumerateFileSystemEntries(packages).Any()) Directory.Delete(packages);
        }
    }
}
