#!/usr/bin/env bash
# Publishes a self-contained ssdedge-agent with its bundled model and packs it with the board's
# install files into one tarball.
#
# Usage: deploy/publish-agent.sh [--rid linux-arm64|linux-x64] [--output DIR] [--artifacts-path DIR]
#
#   --rid             runtime identifier (default linux-arm64: Raspberry Pi 4/5 with a 64-bit OS)
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

usage() {
  sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while (($# > 0)); do
  case "$1" in
    --rid | --output | --artifacts-path)
      if (($# < 2)); then
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
    echo "publish-agent.sh: unsupported runtime '$rid'; use linux-arm64 or linux-x64." \
      "ONNX Runtime ships no native library for 32-bit ARM." >&2
    exit 2
    ;;
esac

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
dotnet publish "$root/edge-agent/SsdEdge.EdgeAgent.csproj" "${publish_options[@]}"

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
echo "Published ssdedge-agent for $rid: $bundle.tar.gz"
