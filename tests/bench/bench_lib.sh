# Shared by the benchmark scripts (sourced). Loopback only.

# $work, $pids and their cleanup; start_fleet.
source "$root/deploy/fleet_lib.sh"

# Starts the built devsim ($bin/devsim) with the arguments given.
start_devsim() {
  start_fleet "$bin/devsim" "$@"
}

# The address an agent logged it listens on (it was given port 0).
agent_address() {
  local log="$1" port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*event=listening .* port=\([0-9]*\) .*/\1/p' "$log")
    [ -n "$port" ] && { echo "127.0.0.1:$port"; return; }
    sleep 0.1
  done
  echo "bench: agent did not start: $(cat "$log")" >&2
  return 1
}

# "min / median / max" of the numbers given.
stats() {
  printf '%s\n' "$@" | sort -g |
    awk '{a[NR]=$1} END {printf "%.2f / %.2f / %.2f", a[1], a[int((NR+1)/2)], a[NR]}'
}

# CPU seconds (user + system) process PID has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

# CPU seconds the processes PIDS... have used so far, together.
sum_cpu_seconds() {
  local total=0 pid
  for pid in "$@"; do total=$(awk -v a="$total" -v b="$(cpu_seconds "$pid")" 'BEGIN {print a + b}'); done
  echo "$total"
}

# Peak resident KiB of process PID so far.
peak_rss_kib() {
  awk '/^VmHWM:/ {print $2}' "/proc/$1/status"
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A fleet of COUNT devices served by OpenSSH's sshd, each session running
# tests/integration/fake_device_shell.sh (an IOS-like CLI; exec commands
# too): a real, heavier server nobody here wrote. Devices get their own
# 127.2.x.y address (sshd listens on at most 16 addresses, so one sshd per
# 16 devices), all on one port; login by the key $work/key as this user,
# enable secret s3cret. Writes $work/devices.yaml like devsim's.
start_sshd_fleet() {
  local count="$1" port shell="$root/tests/integration/fake_device_shell.sh"
  port="$(free_port)"
  [ "$(id -u)" -eq 0 ] && mkdir -p /run/sshd  # sshd's privilege separation directory
  ssh-keygen -q -t ed25519 -N "" -f "$work/sshd_host_key"
  cp "$work/key.pub" "$work/authorized_keys"
  local addresses=() i
  printf '# OpenSSH sshd fleet: %s devices on loopback\nrouters:\n' "$count" >"$work/devices.yaml"
  for i in $(seq 1 "$count"); do
    addresses+=("127.2.$(((i - 1) / 250)).$(((i - 1) % 250 + 1))")
    printf -- '- device_type: cisco_ios\n  name: ossh%s\n  ip: %s\n  port: %s\n  username: %s\n  key_file: %s\n  secret: s3cret\n' \
      "$i" "${addresses[-1]}" "$port" "$(id -un)" "$work/key" >>"$work/devices.yaml"
  done
  local first sshd_pids=()
  for ((first = 0; first < count; first += 16)); do
    {
      echo "Port $port"
      printf 'ListenAddress %s\n' "${addresses[@]:first:16}"
      echo "HostKey $work/sshd_host_key"
      echo "AuthorizedKeysFile $work/authorized_keys"
      echo "PidFile $work/sshd-$first.pid"
      echo "PasswordAuthentication no"
      echo "KbdInteractiveAuthentication no"
      echo "PermitRootLogin prohibit-password"
      echo "StrictModes no"
      echo "UsePAM no"
      echo "LogLevel ERROR"
      echo "MaxStartups 2000"  # the default drops logins beyond 10 at once
      # bash run by sshd sources ~/.bashrc unless SHLVL says it is nested:
      # a login's rc files (pyenv, conda) must not be part of the fleet.
      echo "SetEnv SHLVL=1"
      echo "ForceCommand /bin/bash $shell"
    } >"$work/sshd-$first.conf"
    /usr/sbin/sshd -D -e -f "$work/sshd-$first.conf" 2>>"$work/sshd.log" &
    pids+=($!)
    sshd_pids+=("$first")
  done
  for first in "${sshd_pids[@]}"; do
    for _ in $(seq 1 100); do [ -f "$work/sshd-$first.pid" ] && break; sleep 0.1; done
    [ -f "$work/sshd-$first.pid" ] || { echo "bench: sshd did not start: $(cat "$work/sshd.log")" >&2; return 1; }
  done
}
