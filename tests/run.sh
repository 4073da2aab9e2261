#!/usr/bin/env bash
# Builds the solution and runs every test project, then prints one summary line:
#   tests: N passed, N failed, N skipped
# Real recordings are found through SSDEDGE_TEST_DATA; without it the tests that need them
# skip (and fail when CI=true). As root, missing Debian packages for the test peers are
# installed first; otherwise the script names them and the tests that need them skip.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/.artifacts/test-results"
configuration="${SSDEDGE_TEST_CONFIGURATION:-Release}"

# Debian packages: python3-onnx (an independent ONNX checker run by /usr/bin/python3),
# fonts-dejavu-core (the plots' text; SkiaSharp reads fonts from /usr/share/fonts), mosquitto
# and mosquitto-clients (a real MQTT broker and subscriber) and socat (pseudo-terminal pairs as a
# real serial link), clang and zlib1g-dev (the linker of the agent's native AOT build).
packages=(python3-onnx fonts-dejavu-core mosquitto mosquitto-clients socat clang zlib1g-dev)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
fi
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing test peers: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages (tests that need them will skip): ${missing[*]}"
    echo "Install them with: sudo apt-get install ${missing[*]}"
  fi
fi

if [[ -z "${SSDEDGE_TEST_DATA:-}" ]]; then
  echo "SSDEDGE_TEST_DATA is not set: tests on real recordings will skip."
fi

rm -rf "$results"
dotnet restore SsdEdge.sln
dotnet build SsdEdge.sln --no-restore -c "$configuration"

# One project at a time: the TorchSharp tests use both cores, and each project gets its own
# result file.
status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" --no-build -c "$configuration" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout 10m || status=$?
done

passed=0
failed=0
skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(value total)
  executed=$(value executed)
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + total - executed))
done
trx_count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if ((trx_count == 0)); then
  echo "No test results were written to $results."
  status=1
fi
if ((status != 0 && failed == 0)); then
  # The run failed before or outside any test (build, crash, hang): count it as a failure.
  failed=1
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
