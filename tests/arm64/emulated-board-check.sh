#!/usr/bin/env bash
# Runs the linux-arm64 agent under QEMU user-mode emulation and checks that every window it
# scores matches the linux-x64 agent on the same input.
#
# Usage: tests/arm64/emulated-board-check.sh [--work DIR] [--native-aot]
#                                            [--case NAME MODEL SOURCE HOP_SECONDS]...
#
# --native-aot also publishes the linux-x64 agent with deploy/publish-agent.sh --aot and checks
# it the same way against the linux-x64 JIT build: every case's windows, then a short run of the
# bundled demo through its embedded broker and outbox, and a bench --smoke --json report. It
# needs clang; without it the check exits 77.
#
# Without --case it runs one case: the bundled demo model on 60 s of a synthetic subject. Each
# --case adds a model (an ONNX file, or "bundled" for the demo model), a replay source as the
# agent's --replay takes it, and the seconds between windows.
#
# Steps:
#   1. qemu-aarch64 from Debian 13's qemu-user package (a static binary; Debian 12's
#      qemu-user-static 7.2 crashes .NET), fetched with a private apt state, so the system's
#      sources, package lists and installed packages stay as they are.
#   2. A Debian 12 arm64 sysroot (libc6, libgcc-s1, libstdc++6, libicu72, libssl3) for
#      `qemu-aarch64 -L`: ONNX Runtime's native library needs libstdc++ and libgcc, .NET needs
#      ICU, and .NET aborts without libssl once the MQTT client loads its TLS support.
#   3. deploy/publish-agent.sh for linux-arm64 and linux-x64; the arm64 tarball is unpacked and
#      run from there, so the check covers what a board receives.
#   4. Both agents replay each case with --output JSON Lines, and the windows are compared: the
#      same windows (device, end sample, outcome) must exist, and each probability must agree
#      within SSDEDGE_ARM64_TOLERANCE (default 1e-4).
#
# Downloads are cached under SSDEDGE_ARM64_CACHE (default ~/.cache/ssdedge/arm64); builds under
# .artifacts/emulated-board/build. A second run downloads nothing and builds incrementally.
#
# Exit codes: 0 when every case matches, 1 on a mismatch or a failed step, 77 when a
# prerequisite is missing. A missing prerequisite is a missing apt-get or dpkg-deb, or a Debian
# mirror that cannot be reached while nothing is cached; the reason is the last line of
# standard error.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${SSDEDGE_ARM64_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ssdedge/arm64}"
mirror="${SSDEDGE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
tolerance="${SSDEDGE_ARM64_TOLERANCE:-1e-4}"
artifacts="$root/.artifacts/emulated-board"
work=""
cases=()
native_aot=false

skip() {
  echo "SKIP: $*" >&2
  exit 77
}

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

while (($# > 0)); do
  case "$1" in
    --work)
      (($# >= 2)) || fail "--work needs a folder."
      work="$2"
      shift 2
      ;;
    --native-aot)
      native_aot=true
      shift
      ;;
    --case)
      (($# >= 5)) || fail "--case needs NAME MODEL SOURCE HOP_SECONDS."
      cases+=("$2|$3|$4|$5")
      shift 5
      ;;
    -h | --help)
      sed -n '2,35p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      fail "unknown argument '$1'; see --help."
      ;;
  esac
done
if ((${#cases[@]} == 0)); then
  cases=("synthetic-demo|bundled|synthetic:101?subjects=1&duration=60|2")
fi
work="${work:-$artifacts/run}"

for tool in apt-get dpkg-deb dotnet flock awk tar; do
  command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed; the check needs a Debian-based host."
done
if [[ "$native_aot" == true ]] && ! command -v clang >/dev/null 2>&1; then
  skip "'clang' is not installed; --native-aot needs it to link the agent (apt-get install clang)."
fi

seconds() { date +%s.%N; }
elapsed() { awk -v from="$1" -v to="$(seconds)" 'BEGIN { printf "%.1f", to - from }'; }
started=$(seconds)

mkdir -p "$cache" "$artifacts"
exec 8>"$cache/.lock"
flock 8

# Runs apt-get against a private state: its own sources list, package lists, archive cache and an
# empty dpkg status, so neither the system's sources nor its installed packages are read or
# changed. $1 is the state folder, $2 the sources line, $3 the architecture; the rest is apt's
# command line.
private_apt() {
  local state="$1" sources="$2" architecture="$3"
  shift 3
  mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/sources.list.d"
  echo "$sources" >"$state/sources.list"
  : >"$state/status"
  local options=(
    -o "Dir::State=$state"
    -o "Dir::State::Lists=$state/lists"
    -o "Dir::State::status=$state/status"
    -o "Dir::Cache=$state"
    -o "Dir::Cache::archives=$state/archives"
    -o "Dir::Etc::SourceList=$state/sources.list"
    -o "Dir::Etc::SourceParts=$state/sources.list.d"
    -o "Dir::Etc::Preferences=$state/preferences"
    -o "Dir::Etc::PreferencesParts=$state/sources.list.d"
    -o "APT::Architecture=$architecture"
    -o "APT::Architectures::=$architecture"
    -o "Acquire::Languages=none"
  )
  # As root, apt downloads as the unprivileged _apt user, which cannot write to a folder root
  # owns under a home directory.
  if [[ $(id -u) -eq 0 ]]; then
    options+=(-o "APT::Sandbox::User=root")
  fi
  apt-get -q "${options[@]}" "$@"
}

# Downloads Debian packages with private_apt and unpacks them into $5; $1-$3 as for
# private_apt, $4 a marker file written when every package is unpacked.
fetch_packages() {
  local state="$1" sources="$2" architecture="$3" marker="$4" target="$5"
  shift 5
  if [[ -f "$marker" && "$(cat "$marker")" == "$*" ]]; then
    return 0
  fi
  # --error-on=any: apt-get update otherwise exits 0 when every download failed.
  if ! private_apt "$state" "$sources" "$architecture" update --error-on=any >"$state.update.log" 2>&1; then
    tail -n 5 "$state.update.log" >&2
    skip "the Debian mirror $mirror cannot be reached (apt-get update failed) and nothing is cached in $cache."
  fi
  rm -rf "$target" "$state/debs"
  mkdir -p "$target" "$state/debs"
  (cd "$state/debs" && private_apt "$state" "$sources" "$architecture" download "$@") \
    || fail "apt-get download $* failed; see the output above."
  local deb
  for deb in "$state/debs"/*.deb; do
    dpkg-deb -x "$deb" "$target"
  done
  # The package lists and .deb files are needed only for this download.
  rm -rf "$state" "$state.update.log"
  echo "$*" >"$marker"
}

keyring="/usr/share/keyrings/debian-archive-keyring.gpg"
[[ -f "$keyring" ]] || skip "$keyring is missing; install the debian-archive-keyring package."

step=$(seconds)
fetch_packages "$cache/apt-trixie" \
  "deb [signed-by=$keyring] $mirror trixie main" amd64 \
  "$cache/qemu.complete" "$cache/qemu" qemu-user
qemu="$cache/qemu/usr/bin/qemu-aarch64"
[[ -x "$qemu" ]] || fail "qemu-user was unpacked but $qemu is missing."
# qemu-user unpacks to about 600 MB of emulators for every architecture; one is kept.
find "$cache/qemu" -type f ! -path "$qemu" -delete

fetch_packages "$cache/apt-bookworm-arm64" \
  "deb [signed-by=$keyring] $mirror bookworm main" arm64 \
  "$cache/sysroot.complete" "$cache/sysroot" libc6 libgcc-s1 libstdc++6 libicu72 libssl3
sysroot="$cache/sysroot"
flock -u 8
echo "emulator and sysroot ready in $(elapsed "$step") s: $("$qemu" --version | head -n 1)"

step=$(seconds)
mkdir -p "$artifacts"
exec 9>"$artifacts/.lock"
flock 9
for rid in linux-arm64 linux-x64; do
  nice -n 10 "$root/deploy/publish-agent.sh" \
    --rid "$rid" --output "$artifacts/publish" --artifacts-path "$artifacts/build" >"$artifacts/publish-$rid.log" 2>&1 \
    || { tail -n 30 "$artifacts/publish-$rid.log" >&2; fail "publishing for $rid failed."; }
done

if [[ "$native_aot" == true ]]; then
  nice -n 10 "$root/deploy/publish-agent.sh" --rid linux-x64 --aot \
    --output "$artifacts/publish-aot" --artifacts-path "$artifacts/build-aot" >"$artifacts/publish-aot.log" 2>&1 \
    || { tail -n 30 "$artifacts/publish-aot.log" >&2; fail "publishing the native AOT build failed."; }
fi

rm -rf "$work"
mkdir -p "$work"
for rid in linux-arm64 linux-x64; do
  tar -xzf "$artifacts/publish/ssdedge-agent-$rid.tar.gz" -C "$work"
done
aot_agent=""
if [[ "$native_aot" == true ]]; then
  mkdir -p "$work/aot"
  tar -xzf "$artifacts/publish-aot/ssdedge-agent-linux-x64.tar.gz" -C "$work/aot"
  aot_agent="$work/aot/ssdedge-agent-linux-x64/app/ssdedge-agent"
fi
flock -u 9
arm64_agent="$work/ssdedge-agent-linux-arm64/app/ssdedge-agent"
x64_agent="$work/ssdedge-agent-linux-x64/app/ssdedge-agent"
echo "published and unpacked the builds in $(elapsed "$step") s"

# Compares two JSON Lines window files and prints "WINDOWS MAX_DIFFERENCE"; exits 1 when the
# windows differ or a probability differs by more than the tolerance. The agent writes each
# window's keys in a fixed order on one line, so fields are read with patterns, not a JSON parser.
compare_windows() {
  awk -v tolerance="$tolerance" '
    function field(line, name,    pattern) {
      pattern = "\"" name "\":(\"[^\"]*\"|\\[[^]]*\\]|[^,}]*)"
      if (match(line, pattern)) {
        return substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 3)
      }
      return "?"
    }
    function key(line) {
      return field(line, "device") " " field(line, "endSample") " " field(line, "outcome")
    }
    FNR == 1 { file++ }
    file == 1 { order[++expected] = key($0); reference[key($0)] = field($0, "probabilities"); next }
    {
      k = key($0)
      seen++
      if (!(k in reference)) { printf "window %s exists only in %s\n", k, FILENAME > "/dev/stderr"; bad = 1; next }
      if (order[seen] != k) { printf "window %d is %s, expected %s\n", seen, k, order[seen] > "/dev/stderr"; bad = 1 }
      a = reference[k]; b = field($0, "probabilities")
      if ((a == "null") != (b == "null")) { printf "window %s: probabilities %s vs %s\n", k, a, b > "/dev/stderr"; bad = 1; next }
      if (a == "null") { next }
      gsub(/[][]/, "", a); gsub(/[][]/, "", b)
      n = split(a, pa, ","); m = split(b, pb, ",")
      if (n != m) { printf "window %s: %d vs %d probabilities\n", k, n, m > "/dev/stderr"; bad = 1; next }
      for (i = 1; i <= n; i++) {
        d = pa[i] - pb[i]; if (d < 0) { d = -d }
        if (d > worst) { worst = d }
        if (d > tolerance + 0) { printf "window %s class %d: %s vs %s\n", k, i - 1, pa[i], pb[i] > "/dev/stderr"; bad = 1 }
      }
    }
    END {
      if (seen != expected) { printf "%d windows vs %d\n", expected, seen > "/dev/stderr"; bad = 1 }
      if (expected == 0) { print "no windows were written" > "/dev/stderr"; bad = 1 }
      printf "%d %.3g\n", expected, worst
      exit bad
    }' "$1" "$2"
}

status=0
for entry in "${cases[@]}"; do
  IFS='|' read -r name model source hop <<<"$entry"
  model_args=()
  if [[ "$model" != "bundled" ]]; then
    [[ -f "$model" ]] || fail "case $name: model $model not found."
    model_args=(--model "$model")
  fi
  # The check compares scoring. Publishing and metrics are tested natively; here they would
  # write an outbox into the user's state folder and compete for ports with parallel runs.
  common=("${model_args[@]}" --replay "$source" --hop-seconds "$hop" --speed 0
    --Publish:Enabled=false --Metrics:Port=0)

  step=$(seconds)
  "$x64_agent" "${common[@]}" --output "$work/$name.x64.jsonl" >"$work/$name.x64.out" 2>"$work/$name.x64.err" \
    || { tail -n 20 "$work/$name.x64.err" >&2; fail "case $name: the x64 agent failed."; }
  x64_seconds=$(elapsed "$step")

  step=$(seconds)
  "$qemu" -L "$sysroot" "$arm64_agent" "${common[@]}" --output "$work/$name.arm64.jsonl" \
    >"$work/$name.arm64.out" 2>"$work/$name.arm64.err" \
    || { tail -n 20 "$work/$name.arm64.err" >&2; fail "case $name: the arm64 agent failed under qemu-aarch64."; }
  arm64_seconds=$(elapsed "$step")

  if result=$(compare_windows "$work/$name.x64.jsonl" "$work/$name.arm64.jsonl"); then
    verdict="match"
  else
    verdict="MISMATCH"
    status=1
  fi
  read -r windows difference <<<"$result"
  echo "case $name: $windows windows, max probability difference $difference (tolerance $tolerance), $verdict;" \
    "x64 $x64_seconds s, arm64 under qemu $arm64_seconds s"

  if [[ -n "$aot_agent" ]]; then
    "$aot_agent" "${common[@]}" --output "$work/$name.aot.jsonl" >"$work/$name.aot.out" 2>"$work/$name.aot.err" \
      || { tail -n 20 "$work/$name.aot.err" >&2; fail "case $name: the native AOT agent failed."; }
    if result=$(compare_windows "$work/$name.x64.jsonl" "$work/$name.aot.jsonl"); then
      verdict="match"
    else
      verdict="MISMATCH"
      status=1
    fi
    read -r windows difference <<<"$result"
    echo "case $name: native AOT $windows windows, max probability difference $difference, $verdict"
  fi
done

if [[ -n "$aot_agent" ]]; then
  # The demo publishes through the embedded MQTTnet broker and the outbox, which replay leaves
  # out, and bench writes its JSON report through generated serializers.
  "$aot_agent" --duration 8 --Metrics:Port=0 --mqtt-port 0 --Publish:Port=0 \
    --Publish:OutboxDirectory="$work/aot-outbox" >"$work/aot-demo.out" 2>"$work/aot-demo.err" \
    || { tail -n 20 "$work/aot-demo.err" >&2; fail "the native AOT demo run failed."; }
  grep -q "windows scored: [1-9]" "$work/aot-demo.out" "$work/aot-demo.err" \
    || { tail -n 20 "$work/aot-demo.out" >&2; fail "the native AOT demo scored no window."; }
  "$aot_agent" bench --smoke --json-file "$work/aot-bench.json" >"$work/aot-bench.out" 2>"$work/aot-bench.err" \
    || { tail -n 20 "$work/aot-bench.err" >&2; fail "the native AOT bench --smoke failed."; }
  grep -q '"inference"' "$work/aot-bench.json" || fail "the native AOT bench report has no inference section."
  echo "native AOT demo and bench --smoke ran"
fi

echo "total $(elapsed "$started") s"
exit "$status"
