#!/usr/bin/env bash
# Publishes a self-contained ssdedge-agent with its bundled model and packs it with the board's
# install files into one tarball.
#
# Usage: deploy/publish-agent.sh [--rid linux-arm64|linux-x64] [--aot] [--output DIR]
#                                [--artifacts-path DIR]
#
#   --rid             runtime identifier (default linux-arm64: Raspberry Pi 4/5 with a 64-bit OS)
#   --aot             compile the agent ahead of time to one native executable (no JIT, about a
#                     third less resident memory); needs clang and a host of the same
#                     architecture as --rid, such as the board itself
#   --output          folder for the result (default out)
#   --artifacts-path  folder for intermediate build files, passed to dotnet publish; by default
#                     the projects' own bin/ and obj/ folders are used
#
# Result: DIR/ssdedge-agent-RID/ and DIR/ssdedge-agent-RID.tar.gz, which contain
#   app/                     the published agent (ssdedge-agent, appsettings.json, models/)
#   install.sh               the installer to run as root on the board
#   ssdedge-agent.service    the systemd unit
#   appsettings.board.json   the settings install.sh writes on a first install
#   mosquitto/               an MQTT broker configuration for the board
#   README.md                the deployment guide
set -euo pipefail

rid="linux-arm64"
output="out"
artifacts_path=""
aot=false

usage() {
  sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while (($# > 0)); do
  case "$1" in
    --rid | --output | --artifacts-path)
      if (($# < 2)) || [[ "$2" == --* ]]; then
        echo "publish-agent.sh: $1 needs a value." >&2
        exit 2
      fi
      case "$1" in
        --rid) rid="$2" ;;
        --output) output="$2" ;;
        --artifacts-path) artifacts_path="$2" ;;
      esac
      shift 2
      ;;
    --aot)
      aot=true
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "publish-agent.sh: unknown argument '$1'." >&2
      usage >&2
      exit 2
      ;;
  esac
done

case "$rid" in
  linux-x64 | linux-arm64) ;;
  *)
    message="publish-agent.sh: unsupported runtime '$rid'; use linux-arm64 or linux-x64."
    if [[ "$rid" == linux-arm ]]; then
      message+=" ONNX Runtime ships no native library for 32-bit ARM."
    fi
    echo "$message" >&2
    exit 2
    ;;
esac

if [[ "$aot" == true ]]; then
  # Native AOT links with the host's toolchain, so it builds for the host's own architecture.
  case "$(uname -m)" in
    x86_64) host_rid=linux-x64 ;;
    aarch64 | arm64) host_rid=linux-arm64 ;;
    *) host_rid="linux-$(uname -m)" ;;
  esac
  if [[ "$rid" != "$host_rid" ]]; then
    echo "publish-agent.sh: --aot builds for this host ($host_rid) only, not $rid." \
      "Run it on a $rid machine (the board itself works), or publish without --aot." >&2
    exit 2
  fi
  if ! command -v clang >/dev/null 2>&1; then
    echo "publish-agent.sh: --aot needs clang to link the executable; install it" \
      "(sudo apt-get install clang zlib1g-dev) or publish without --aot." >&2
    exit 2
  fi
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$output"
output="$(cd "$output" && pwd)"
name="ssdedge-agent-$rid"
bundle="$output/$name"

# The previous bundle is removed, so no file of an older build is packed with this one.
rm -rf "$bundle" "$bundle.tar.gz"
mkdir -p "$bundle"

publish_options=(-c Release -r "$rid" --self-contained true -p:DebugType=none -o "$bundle/app")
if [[ -n "$artifacts_path" ]]; then
  publish_options+=(--artifacts-path "$artifacts_path")
fi
if [[ "$aot" == true ]]; then
  publish_options+=(-p:PublishAot=true)
fi
dotnet publish "$root/edge-agent/SsdEdge.EdgeAgent.csproj" "${publish_options[@]}"

# Native AOT leaves the executable's symbols beside it and the libraries' XML documentation.
# ONNX Runtime's package adds its Windows DLLs for the target's processor whatever the operating
# system (about 20 MB). None of these is needed on the board.
rm -f "$bundle/app/"*.dbg "$bundle/app/"*.xml \
  "$bundle/app/onnxruntime.dll" "$bundle/app/onnxruntime_providers_shared.dll"

if [[ ! -f "$bundle/app/models/synthetic-demo.onnx" ]]; then
  echo "publish-agent.sh: the bundled model is missing from $bundle/app/models." >&2
  exit 1
fi

install -m 0755 "$root/deploy/install.sh" "$bundle/install.sh"
install -m 0644 "$root/deploy/ssdedge-agent.service" "$bundle/ssdedge-agent.service"
install -m 0644 "$root/deploy/appsettings.board.json" "$bundle/appsettings.board.json"
install -m 0644 "$root/deploy/README.md" "$bundle/README.md"
mkdir -p "$bundle/mosquitto"
install -m 0644 "$root/deploy/mosquitto/"* "$bundle/mosquitto/"

# Fixed owner and file order, so the archive does not depend on the build machine's accounts.
tar -C "$output" --owner=0 --group=0 --numeric-owner --sort=name -czf "$bundle.tar.gz" "$name"
build=$([[ "$aot" == true ]] && echo "native AOT" || echo "JIT")
echo "Published ssdedge-agent for $rid ($build): $bundle.tar.gz"
