using System.Runtime.Versioning;
using SsdEdge.EdgeAgent.Tests.Support;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Deployment;

/// <summary>Runs deploy/install.sh with --root into a temp folder laid out like a board's root,
/// then checks the installed unit with systemd-analyze verify.</summary>
[SupportedOSPlatform("linux")]
public sealed class InstallScriptTests : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _directory = new();
    private readonly string _bundle;
    private readonly string _root;

    public InstallScriptTests()
    {
        _bundle = Path.Combine(_directory.Path, "ssdedge-agent-linux-x64");
        _root = Path.Combine(_directory.Path, "root");
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Install_FreshRoot_LaysOutBoard()
    {
        PrepareRoot();
        var model = _directory.File("my-model.onnx");
        File.WriteAllText(model, "model bytes");

        var result = await InstallAsync("--model", model);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(RootPath("opt/ssdedge-agent/ssdedge-agent")), "program missing");
        Assert.True(File.Exists(RootPath("opt/ssdedge-agent/models/synthetic-demo.onnx")), "bundled model missing");
        Assert.Equal(
            "/etc/ssdedge-agent/appsettings.json",
            new FileInfo(RootPath("opt/ssdedge-agent/appsettings.json")).LinkTarget);
        Assert.Equal("model bytes", File.ReadAllText(RootPath("etc/ssdedge-agent/model.onnx")));
        Assert.Equal(
            File.ReadAllText(Path.Combine(PeerProgram.RepositoryRoot, "deploy/appsettings.board.json")),
            File.ReadAllText(RootPath("etc/ssdedge-agent/appsettings.json")));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
            File.GetUnixFileMode(RootPath("etc/ssdedge-agent/appsettings.json")));
        var secrets = File.ReadAllLines(RootPath("etc/ssdedge-agent/secrets.env"));
        Assert.Contains("SSDEDGE_Mqtt__Password=", secrets);
        Assert.Contains("SSDEDGE_Publish__Password=", secrets);
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(RootPath("etc/ssdedge-agent/secrets.env")));
        Assert.Equal("0", await OwnerIdAsync(RootPath("etc/ssdedge-agent/secrets.env")));
        Assert.Contains(File.ReadLines(RootPath("etc/passwd")), line => line.StartsWith("ssdedge:", StringComparison.Ordinal));
        Assert.Contains(
            File.ReadLines(RootPath("etc/group")),
            line => line.StartsWith("dialout:", StringComparison.Ordinal) && line.EndsWith("ssdedge", StringComparison.Ordinal));
        Assert.Equal(
            File.ReadAllText(Path.Combine(PeerProgram.RepositoryRoot, "deploy/ssdedge-agent.service")),
            File.ReadAllText(RootPath("etc/systemd/system/ssdedge-agent.service")));
    }

    [Fact]
    public async Task Install_WithoutModel_CopiesDemoModel()
    {
        PrepareRoot();

        var result = await InstallAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(PeerProgram.RepositoryRoot, "edge-agent/models/synthetic-demo.onnx")),
            File.ReadAllBytes(RootPath("etc/ssdedge-agent/model.onnx")));
        Assert.Contains("demo model", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_Again_KeepsSettingsAndPreviousProgram()
    {
        PrepareRoot();
        var first = await InstallAsync();
        var settingsPath = RootPath("etc/ssdedge-agent/appsettings.json");
        var secretsPath = RootPath("etc/ssdedge-agent/secrets.env");
        var modelPath = RootPath("etc/ssdedge-agent/model.onnx");
        File.AppendAllText(settingsPath, "// edited on the board\n");
        File.AppendAllText(secretsPath, "SSDEDGE_Mqtt__Password=board-secret\n");
        File.WriteAllText(modelPath, "board model");

        var second = await InstallAsync();

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.EndsWith("// edited on the board\n", File.ReadAllText(settingsPath), StringComparison.Ordinal);
        Assert.EndsWith("SSDEDGE_Mqtt__Password=board-secret\n", File.ReadAllText(secretsPath), StringComparison.Ordinal);
        Assert.Equal("board model", File.ReadAllText(modelPath));
        Assert.True(File.Exists(settingsPath + ".dist"), "new defaults not written beside the settings");
        Assert.True(File.Exists(RootPath("opt/ssdedge-agent.previous/ssdedge-agent")), "previous program not kept");
        Assert.Single(File.ReadLines(RootPath("etc/passwd")), line => line.StartsWith("ssdedge:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uninstall_KeepsSettingsUnlessPurged()
    {
        PrepareRoot();
        var install = await InstallAsync();

        var uninstall = await InstallAsync("--uninstall");
        var settingsKept = File.Exists(RootPath("etc/ssdedge-agent/appsettings.json"));
        var purge = await InstallAsync("--uninstall", "--purge");

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.True(purge.ExitCode == 0, purge.ToString());
        Assert.True(settingsKept, "uninstall removed the settings");
        Assert.False(Directory.Exists(RootPath("opt/ssdedge-agent")), "program left behind");
        Assert.False(File.Exists(RootPath("etc/systemd/system/ssdedge-agent.service")), "unit left behind");
        Assert.False(Directory.Exists(RootPath("etc/ssdedge-agent")), "settings left behind by --purge");
        Assert.DoesNotContain(File.ReadLines(RootPath("etc/passwd")), line => line.StartsWith("ssdedge:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InstalledUnit_PassesSystemdVerify()
    {
        var analyze = PeerProgram.Require("systemd-analyze", "systemd");
        PrepareRoot();
        var install = await InstallAsync();

        // verify loads the unit's dependencies (sysinit.target and others) from the root.
        CopyDirectory("/usr/lib/systemd/system", RootPath("usr/lib/systemd/system"));
        var verify = await PeerProgram.RunAsync(
            analyze,
            ["verify", "--man=no", "--root=" + _root, "ssdedge-agent.service"],
            ScriptTimeout);

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal("", verify.Error.Trim());
    }

    [Fact]
    public async Task Install_BundleWithoutProgram_FailsBeforeChanges()
    {
        PrepareRoot();
        File.Delete(Path.Combine(_bundle, "app/ssdedge-agent"));

        var result = await InstallAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("app/ssdedge-agent is missing", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(RootPath("opt/ssdedge-agent")), "program folder created");
        Assert.DoesNotContain(File.ReadLines(RootPath("etc/passwd")), line => line.StartsWith("ssdedge:", StringComparison.Ordinal));
    }

    // A bundle as publish-agent.sh lays it out, with a stand-in program: the installer copies
    // files and never runs the agent.
    private void PrepareRoot()
    {
        PeerProgram.RequireRoot("Creating the service user with useradd --prefix");
        var repository = PeerProgram.RepositoryRoot;
        Directory.CreateDirectory(Path.Combine(_bundle, "app/models"));
        File.WriteAllText(Path.Combine(_bundle, "app/ssdedge-agent"), "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(
            Path.Combine(_bundle, "app/ssdedge-agent"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(Path.Combine(repository, "edge-agent/appsettings.json"), Path.Combine(_bundle, "app/appsettings.json"));
        File.Copy(
            Path.Combine(repository, "edge-agent/models/synthetic-demo.onnx"),
            Path.Combine(_bundle, "app/models/synthetic-demo.onnx"));
        foreach (var file in new[] { "install.sh", "ssdedge-agent.service", "appsettings.board.json", "README.md" })
        {
            File.Copy(Path.Combine(repository, "deploy", file), Path.Combine(_bundle, file));
        }

        File.SetUnixFileMode(Path.Combine(_bundle, "install.sh"), (UnixFileMode)0b111_101_101);

        // The account files of a fresh Debian root, cut to the entries the installer touches.
        Directory.CreateDirectory(RootPath("etc"));
        File.WriteAllText(RootPath("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(RootPath("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(RootPath("etc/group"), "root:x:0:\ndialout:x:20:\n");
        File.WriteAllText(RootPath("etc/gshadow"), "root:*::\ndialout:*::\n");
    }

    private Task<ProgramResult> InstallAsync(params string[] arguments) =>
        PeerProgram.RunAsync(
            Path.Combine(_bundle, "install.sh"),
            ["--root", _root, .. arguments],
            ScriptTimeout);

    private string RootPath(string relative) => Path.Combine(_root, relative);

    private static async Task<string> OwnerIdAsync(string path)
    {
        var stat = await PeerProgram.RunAsync(PeerProgram.Require("stat", "coreutils"), ["-c", "%u", path], ScriptTimeout);
        return stat.Output.Trim();
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else if (entry is DirectoryInfo)
            {
                CopyDirectory(entry.FullName, destination);
            }
            else
            {
                File.Copy(entry.FullName, destination);
            }
        }
    }
}
