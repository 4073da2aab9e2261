#!/usr/bin/env bash
# Publishes a self-contained ssdedge-agent for one runtime identifier.
# Usage: deploy/publish-agent.sh [linux-x64|linux-arm64] [OUTPUT_DIR]
set -euo pipefail
rid="${1:-linux-arm64}"
out="${2:-out/agent-$rid}"
case "$rid" in
  linux-x64|linux-arm64) ;;
  *) echo "Unsupported runtime '$rid': use linux-x64 or linux-arm64." >&2; exit 2 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet publish "$root/edge-agent/SsdEdge.EdgeAgent.csproj" -c Release -r "$rid" --self-contained true -o "$out"
cp "$root/deploy/ssdedge-agent.service" "$out/"
echo "Published ssdedge-agent for $rid to $out"
