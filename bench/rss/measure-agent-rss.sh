#!/usr/bin/env bash
# Runs the built agent with its embedded broker and N simulated devices for a while, then prints
# its resident memory (VmRSS, VmHWM), the anonymous and file-backed parts, and the largest
# mappings. Extra environment settings (such as DOTNET_GCHeapHardLimit=0x4000000) are passed
# through, so the same script compares settings side by side.
#
# With MODE=external the measured agent runs as deployed: it subscribes to a broker in another
# process and publishes its alerts there. That process is a second agent with the embedded broker
# and the simulated devices, in place of the sensors and Mosquitto. The default, MODE=demo, runs the
# broker and the devices inside the measured agent.
#
# usage: [MODE=demo|external] bench/rss/measure-agent-rss.sh [devices] [seconds] [label]
set -euo pipefail
mode=${MODE:-demo}
devices=${1:-10}
seconds=${2:-40}
label=${3:-default}
root=$(cd "$(dirname "$0")/../.." && pwd)
# AGENT picks another build: a framework-dependent .dll runs under dotnet, anything else (such as
# the native AOT executable from deploy/publish-agent.sh --aot) runs as it is.
agent=${AGENT:-"$root/edge-agent/bin/Release/net10.0/ssdedge-agent.dll"}
run_agent() {
  if [[ "$agent" == *.dll ]]; then
    exec dotnet "$agent" "$@"
  else
    exec "$agent" "$@"
  fi
}
work=$(mktemp -d)
pid=
feeder=
sleeper=
# Stops both agents on every exit, the early ones and a signal to this script included.
cleanup() {
  for process in $pid $feeder $sleeper; do
    kill "$process" 2>/dev/null || true
  done
  for process in $pid $feeder $sleeper; do
    wait "$process" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
metrics=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

if [[ "$mode" == external ]]; then
  # The feeder's own windows and alerts are not measured, so it neither publishes nor serves metrics.
  run_agent --simulator-devices "$devices" --mqtt-port "$port" --mqtt-max-devices 64 \
    --Publish:Enabled=false --Metrics:Port=0 --duration "$((seconds + 15))" >"$work/feeder.log" 2>&1 &
  feeder=$!
  for _ in $(seq 100); do
    grep -q "127.0.0.1:$port" "$work/feeder.log" 2>/dev/null && break
    sleep 0.1
  done
  SSDEDGE_Publish__Host=127.0.0.1 SSDEDGE_Publish__Port=$port SSDEDGE_Publish__OutboxDirectory="$work/outbox" \
    SSDEDGE_Metrics__Port=$metrics run_agent --mqtt-host 127.0.0.1 --mqtt-port "$port" \
    --mqtt-max-devices 64 --mqtt-client-id measured --duration "$((seconds + 5))" >"$work/agent.log" 2>&1 &
  pid=$!
elif [[ "$mode" == demo ]]; then
  SSDEDGE_Publish__Port=$port SSDEDGE_Publish__OutboxDirectory="$work/outbox" SSDEDGE_Metrics__Port=$metrics \
    run_agent --simulator-devices "$devices" --mqtt-port "$port" --mqtt-max-devices 64 \
    --duration "$((seconds + 5))" >"$work/agent.log" 2>&1 &
  pid=$!
else
  echo "MODE must be demo or external, not '$mode'" >&2
  exit 2
fi
# In the background, so that a signal to this script is handled at once, not after the sleep.
sleep "$seconds" &
sleeper=$!
wait "$sleeper"
sleeper=
if ! kill -0 "$pid" 2>/dev/null; then
  echo "the agent ended early:" >&2
  tail -20 "$work/agent.log" >&2
  exit 1
fi

status=/proc/$pid/status
rss=$(awk '/^VmRSS:/ {print $2}' "$status")
hwm=$(awk '/^VmHWM:/ {print $2}' "$status")
anon=$(awk '/^RssAnon:/ {print $2}' "$status")
file=$(awk '/^RssFile:/ {print $2}' "$status")
threads=$(awk '/^Threads:/ {print $2}' "$status")
printf '%-40s VmRSS %6.1f MiB  VmHWM %6.1f MiB  anon %6.1f MiB  file %6.1f MiB  threads %s\n' \
  "$label" "$(echo "$rss/1024" | bc -l)" "$(echo "$hwm/1024" | bc -l)" \
  "$(echo "$anon/1024" | bc -l)" "$(echo "$file/1024" | bc -l)" "$threads"
if [[ "${SHOW_MAPPINGS:-0}" == 1 ]]; then
  # Resident KiB by mapping name (anonymous mappings grouped as [anon]).
  awk '/^[0-9a-f]+-[0-9a-f]+ / {name = (NF >= 6 ? $6 : "[anon]")} /^Rss:/ {rss[name] += $2}
       END {for (n in rss) if (rss[n] >= 1024) printf "%8.1f MiB  %s\n", rss[n]/1024, n}' "/proc/$pid/smaps" | sort -rn | head -15
fi
wait "$pid" || true
pid=
grep -E "error|fail" -i "$work/agent.log" | head -5 || true
