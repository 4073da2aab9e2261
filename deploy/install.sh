#!/usr/bin/env bash
# Installs the SsdEdge agent on a board from an unpacked publish tarball, or removes it.
# Run as root from the unpacked folder; running it again updates the agent and keeps the settings.
#
# Usage: sudo ./install.sh [--model FILE] [--no-start] [--root DIR]
#        sudo ./install.sh --uninstall [--purge] [--root DIR]
#
#   --model FILE  install FILE as /etc/ssdedge-agent/model.onnx, the model the settings name;
#                 without it a first install copies the bundled demo model there
#   --no-start    enable the service but do not (re)start it
#   --uninstall   stop and remove the service and /opt/ssdedge-agent; settings and state stay
#   --purge       with --uninstall, also remove /etc/ssdedge-agent, /var/lib/ssdedge-agent and
#                 the ssdedge user
#   --root DIR    install into DIR as a file system root (an image being prepared, or a test);
#                 the unit is then enabled with `systemctl --root`, and nothing is started
#
# Layout: /opt/ssdedge-agent (program, replaced on update, the previous one kept as
# /opt/ssdedge-agent.previous), /etc/ssdedge-agent/appsettings.json (settings from the bundle's
# appsettings.board.json, never overwritten; the new ones land beside it as
# appsettings.json.dist), /etc/ssdedge-agent/secrets.env (broker passwords, root only, never
# overwritten), /var/lib/ssdedge-agent (state, made by systemd's StateDirectory=),
# /etc/systemd/system/ssdedge-agent.service.
set -euo pipefail

service="ssdedge-agent"
user="ssdedge"
model=""
start=1
uninstall=0
purge=0
root=""

die() {
  echo "install.sh: $*" >&2
  exit 1
}

while (($# > 0)); do
  case "$1" in
    --model)
      (($# >= 2)) || die "--model needs a file."
      model="$2"
      shift 2
      ;;
    --root)
      (($# >= 2)) || die "--root needs a folder."
      root="${2%/}"
      shift 2
      ;;
    --no-start) start=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h | --help)
      sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1'; see --help." ;;
  esac
done

[[ $(id -u) -eq 0 ]] || die "run as root, as in: sudo $0 $*"
((purge == 0 || uninstall == 1)) || die "--purge only goes with --uninstall."

bundle="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
opt="$root/opt/$service"
etc="$root/etc/$service"
state="$root/var/lib/$service"
unit="$root/etc/systemd/system/$service.service"
account_options=()
systemctl_options=()
if [[ -n "$root" ]]; then
  [[ -d "$root" ]] || die "--root $root is not a folder."
  account_options=(--prefix "$root")
  systemctl_options=(--root "$root")
fi

# systemd runs this system only when it is PID 1 of the root being changed.
systemd_running() {
  [[ -z "$root" && -d /run/systemd/system ]]
}

# Prints the numeric id of a group of the system being changed, or fails when it has none.
group_id() {
  local entry
  if [[ -n "$root" ]]; then
    entry="$(grep "^$1:" "$root/etc/group")" || return 1
  else
    entry="$(getent group "$1")" || return 1
  fi
  echo "$entry" | cut -d: -f3
}

user_exists() {
  if [[ -n "$root" ]]; then
    grep -q "^$1:" "$root/etc/passwd"
  else
    getent passwd "$1" >/dev/null
  fi
}

if ((uninstall == 1)); then
  if systemd_running; then
    systemctl disable --now "$service.service" 2>/dev/null || true
  elif command -v systemctl >/dev/null 2>&1 && [[ -f "$unit" ]]; then
    systemctl "${systemctl_options[@]}" disable "$service.service" 2>/dev/null || true
  fi
  rm -f "$unit"
  rm -rf "$opt" "$opt.previous" "$opt.new"
  if systemd_running; then
    systemctl daemon-reload
  fi
  if ((purge == 1)); then
    rm -rf "$etc" "$state" "$root/var/lib/private/$service"
    if user_exists "$user"; then
      userdel "${account_options[@]}" "$user"
    fi
    echo "Removed $service with its settings, state and the $user user."
  else
    echo "Removed $service; settings in $etc and state in $state are kept (--purge removes them)."
  fi
  exit 0
fi

# The bundle must be complete and built for this machine before anything changes.
for file in app/ssdedge-agent app/appsettings.json app/models/synthetic-demo.onnx appsettings.board.json \
  ssdedge-agent.service README.md; do
  [[ -f "$bundle/$file" ]] || die "$bundle/$file is missing; unpack the whole ssdedge-agent tarball and run install.sh from it."
done
if [[ -z "$root" ]] && command -v file >/dev/null 2>&1; then
  machine="$(uname -m)"
  description="$(file -b "$bundle/app/ssdedge-agent")"
  case "$machine" in
    aarch64) expected="ARM aarch64" ;;
    x86_64) expected="x86-64" ;;
    *) die "this machine is $machine; the agent runs on 64-bit ARM (aarch64) or x86-64 only." ;;
  esac
  [[ "$description" == *"$expected"* ]] || die "this bundle's program is '$description', but this machine is $machine; publish for the matching --rid."
fi
if [[ -n "$model" && ! -f "$model" ]]; then
  die "model $model not found."
fi

# 1. Service account: a system user without a home or login shell, in dialout for serial ports.
if ! group_id "$user" >/dev/null; then
  groupadd "${account_options[@]}" --system "$user"
fi
if ! user_exists "$user"; then
  useradd "${account_options[@]}" --system --gid "$user" --no-create-home \
    --home-dir "/var/lib/$service" --shell /usr/sbin/nologin \
    --comment "SsdEdge agent" "$user"
fi
if group_id dialout >/dev/null; then
  usermod "${account_options[@]}" --append --groups dialout "$user"
fi

# 2. Program: copied beside the running one, then swapped in, so a failed copy changes nothing.
rm -rf "$opt.new"
mkdir -p "$(dirname "$opt")"
cp -a "$bundle/app" "$opt.new"
install -m 0644 "$bundle/README.md" "$opt.new/README.md"
chown -R root:root "$opt.new"
chmod -R u=rwX,go=rX "$opt.new"
chmod 0755 "$opt.new/ssdedge-agent"
# The shipped defaults stay readable as appsettings.default.json; the agent reads the board's
# settings through the link.
mv "$opt.new/appsettings.json" "$opt.new/appsettings.default.json"
ln -s "/etc/$service/appsettings.json" "$opt.new/appsettings.json"
if [[ -d "$opt" ]]; then
  rm -rf "$opt.previous"
  mv "$opt" "$opt.previous"
fi
mv "$opt.new" "$opt"

# 3. Settings: readable by the service group only. The board's settings are the bundle's
# appsettings.board.json, copied unchanged. A test validates that file with the agent's own
# validators, so no edit pattern has to match the shipped defaults.
gid="$(group_id "$user")"
install -d -m 0750 -o 0 -g "$gid" "$etc"
if [[ -n "$model" ]]; then
  install -m 0640 -o 0 -g "$gid" "$model" "$etc/model.onnx"
elif [[ ! -f "$etc/model.onnx" ]]; then
  install -m 0640 -o 0 -g "$gid" "$opt/models/synthetic-demo.onnx" "$etc/model.onnx"
  echo "Installed the bundled demo model as $etc/model.onnx; it was trained on synthetic physiology only. Install yours with --model."
fi
if [[ -f "$etc/appsettings.json" ]]; then
  install -m 0640 -o 0 -g "$gid" "$bundle/appsettings.board.json" "$etc/appsettings.json.dist"
  echo "Kept $etc/appsettings.json; the new board settings are in $etc/appsettings.json.dist."
else
  install -m 0640 -o 0 -g "$gid" "$bundle/appsettings.board.json" "$etc/appsettings.json"
  echo "Wrote $etc/appsettings.json; edit it to add serial sensors or change the broker."
fi

# Broker passwords: systemd reads this file as root (EnvironmentFile=) and passes the values to
# the agent, so neither the ssdedge user nor a copy of the settings can read them.
secrets="$etc/secrets.env"
if [[ ! -f "$secrets" ]]; then
  (
    umask 077
    cat >"$secrets" <<'SECRETS'
# Broker passwords of ssdedge-agent, loaded by systemd (EnvironmentFile=) before it starts the
# agent. Only root may read this file. Give the password of the Mosquitto user ssdedge-agent
# (mosquitto_passwd) to both, then: systemctl restart ssdedge-agent
SSDEDGE_Mqtt__Password=
SSDEDGE_Publish__Password=
SECRETS
  )
  echo "Wrote $secrets; put the broker password of ssdedge-agent into it."
fi
chown 0:0 "$secrets"
chmod 0600 "$secrets"

# 4. Unit: replaced on every install; local changes belong in a drop-in (systemctl edit).
install -D -m 0644 "$bundle/ssdedge-agent.service" "$unit"
if systemd_running; then
  systemctl daemon-reload
  systemctl enable "$service.service"
  if ((start == 1)); then
    systemctl restart "$service.service"
    echo "Started $service; follow it with: journalctl -u $service -f"
  else
    echo "Enabled $service; start it with: systemctl start $service"
  fi
elif command -v systemctl >/dev/null 2>&1; then
  systemctl "${systemctl_options[@]}" enable "$service.service" >/dev/null 2>&1 \
    || echo "systemctl could not enable $service offline; enable it on the board."
  echo "Installed $service; systemd is not running here, so it starts at the next boot."
else
  echo "Installed $service; systemctl is missing, so enable the unit by hand."
fi
