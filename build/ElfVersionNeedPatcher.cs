// Compiled twice: into the trainer (first-run check and `doctor`) and as an MSBuild inline
// task (build/TorchSharpNativeFix.targets), so it depends on the BCL only.
using System;
using System.IO;
using System.Text;

namespace SsdEdge.Build
{

    /// <summary>
    /// Marks one symbol-version requirement of an ELF64 shared library as weak, so that the
    /// dynamic loader accepts the library on a system whose provider lacks that version.
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c> (GCC 13's
    /// libstdc++) for one symbol only, <c>std::ios_base_library_init()</c>. Debian 12 and
    /// Ubuntu 22.04 ship libstdc++ up to 3.4.30. Setting <c>VER_FLG_WEAK</c> (2) on that entry of
    /// <c>.gnu.version_r</c> turns the fatal "version not found" into a loader warning that is
    /// never printed, and the library loads. The patch is idempotent and rewrites only that
    /// entry's two-byte flags field.
    /// </remarks>
    public static class ElfVersionNeedPatcher
    {
        /// <summary>The version that TorchSharp's native library needs and older hosts lack.</summary>
        public const string TorchSharpVersionNeed = "GLIBCXX_3.4.32";

        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 2;

        /// <summary>Result of inspecting or patching one library.</summary>
        public enum PatchOutcome
        {
            /// <summary>The library does not require the version at all.</summary>
            NotRequired,

            /// <summary>The requirement was already weak before this call.</summary>
            AlreadyWeak,

            /// <summary>The requirement is strong and was left as it is (inspection only).</summary>
            Strong,

            /// <summary>The requirement was strong and this call made it weak.</summary>
            Patched,
        }

        /// <summary>
        /// Returns whether the host's libstdc++ already provides <paramref name="version"/>,
        /// by looking for the version name in the first libstdc++.so.6 found in the usual places.
        /// </summary>
        public static bool HostProvidesVersion(string version)
        {
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6",
                "/usr/lib/libstdc++.so.6",
                "/lib/x86_64-linux-gnu/libstdc++.so.6",
            };
            foreach (var path in candidates)
            {
                if (File.Exists(path))
                {
                    var bytes = File.ReadAllBytes(path);
                    var needle = Encoding.ASCII.GetBytes(version + "\0");
                    return IndexOf(bytes, needle) >= 0;
                }
            }

            // No libstdc++ where we look: not a glibc Linux host, so nothing to fix.
            return true;
        }

        /// <summary>
        /// Inspects <paramref name="libraryPath"/> and, when <paramref name="apply"/> is true, makes
        /// its requirement of <paramref name="version"/> weak.
        /// </summary>
        /// <exception cref="InvalidDataException">The file is not a little-endian ELF64 object.</exception>
        public static PatchOutcome Patch(string libraryPath, string version, bool apply)
        {
            var data = File.ReadAllBytes(libraryPath);
            var flagsOffset = FindVersionNeedFlagsOffset(data, version, libraryPath);
            if (flagsOffset < 0)
            {
                return PatchOutcome.NotRequired;
            }

            var flags = BitConverter.ToUInt16(data, flagsOffset);
            if ((flags & VerFlagWeak) != 0)
            {
                return PatchOutcome.AlreadyWeak;
            }

            if (!apply)
            {
                return PatchOutcome.Strong;
            }

            var patched = (ushort)(flags | VerFlagWeak);
            using (var stream = new FileStream(libraryPath, FileMode.Open, FileAccess.Write, FileShare.Read))
            {
                stream.Seek(flagsOffset, SeekOrigin.Begin);
                stream.WriteByte((byte)(patched & 0xff));
                stream.WriteByte((byte)(patched >> 8));
            }

            return PatchOutcome.Patched;
        }

        // Returns the file offset of vna_flags in the Vernaux entry naming the version, or -1.
        private static int FindVersionNeedFlagsOffset(byte[] data, string version, string path)
        {
            var isElf64Le = data.Length > 0x40 && data[0] == 0x7f && data[1] == (byte)'E'
                && data[2] == (byte)'L' && data[3] == (byte)'F' && data[4] == 2 && data[5] == 1;
            if (!isElf64Le)
            {
                throw new InvalidDataException($"{path} is not a little-endian ELF64 file.");
            }

            var sectionTable = checked((int)BitConverter.ToUInt64(data, 0x28));
            int entrySize = BitConverter.ToUInt16(data, 0x3A);
            int sectionCount = BitConverter.ToUInt16(data, 0x3C);
            for (var index = 0; index < sectionCount; index++)
            {
                var header = sectionTable + (index * entrySize);
                if (BitConverter.ToUInt32(data, header + 4) != ShtGnuVerneed)
                {
                    continue;
                }

                var verneed = checked((int)BitConverter.ToUInt64(data, header + 0x18));
                var stringTableIndex = (int)BitConverter.ToUInt32(data, header + 0x28);
                var needCount = (int)BitConverter.ToUInt32(data, header + 0x2C);
                var stringHeader = sectionTable + (stringTableIndex * entrySize);
                var strings = checked((int)BitConverter.ToUInt64(data, stringHeader + 0x18));
                return ScanVerneed(data, verneed, needCount, strings, version);
            }

            return -1;
        }

        private static int ScanVerneed(byte[] data, int verneed, int needCount, int strings, string version)
        {
            var entry = verneed;
            for (var need = 0; need < needCount; need++)
            {
                int auxCount = BitConverter.ToUInt16(data, entry + 2);
                var aux = entry + (int)BitConverter.ToUInt32(data, entry + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var nameOffset = strings + (int)BitConverter.ToUInt32(data, aux + 8);
                    if (ReadCString(data, nameOffset) == version)
                    {
                        return aux + 4;
                    }

                    aux += (int)BitConverter.ToUInt32(data, aux + 12);
                }

                var next = (int)BitConverter.ToUInt32(data, entry + 12);
                if (next == 0)
                {
                    break;
                }

                entry += next;
            }

            return -1;
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (var start = 0; start <= haystack.Length - needle.Length; start++)
            {
                var match = true;
                for (var k = 0; k < needle.Length && match; k++)
                {
                    match = haystack[start + k] == needle[k];
                }

                if (match)
                {
                    return start;
                }
            }

            return -1;
        }

        private static string ReadCString(byte[] data, int offset)
        {
            var end = offset;
            while (end < data.Length && data[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(data, offset, end - offset);
        }
    }
}

#if !SSDEDGE_PRODUCT
/// <summary>MSBuild task that applies <see cref="SsdEdge.Build.ElfVersionNeedPatcher"/> to an output folder.</summary>
public class SsdEdgePatchTorchSharpNative : Microsoft.Build.Utilities.Task
{
    /// <summary>Folder holding libLibTorchSharp.so (build or publish output).</summary>
    [Microsoft.Build.Framework.Required]
    public string Directory { get; set; } = string.Empty;

    /// <inheritdoc />
    public override bool Execute()
    {
        var library = Path.Combine(Directory, "libLibTorchSharp.so");
        if (!File.Exists(library))
        {
            library = Path.Combine(Directory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }

        if (!File.Exists(library))
        {
            return true;
        }

        var version = SsdEdge.Build.ElfVersionNeedPatcher.TorchSharpVersionNeed;
        if (SsdEdge.Build.ElfVersionNeedPatcher.HostProvidesVersion(version))
        {
            return true;
        }

        var outcome = SsdEdge.Build.ElfVersionNeedPatcher.Patch(library, version, apply: true);
        if (outcome == SsdEdge.Build.ElfVersionNeedPatcher.PatchOutcome.Patched)
        {
            Log.LogMessage(
                Microsoft.Build.Framework.MessageImportance.High,
                "Marked " + version + " weak in " + library + " because this host's libstdc++ lacks it.");
        }

        return true;
    }
}
#endif
