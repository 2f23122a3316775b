#!/bin/bash
# A tiny IOS-like CLI that OpenSSH's sshd runs as the login command in
# openssh_session_test and the benchmark's sshd fleet: the session code meets a real sshd and a real PTY
# (kernel echo, onlcr), neither written by us.
# As an exec (ssh host "show clock"), it answers the one command and exits,
# 1 if it did not know it.
host=fake-sw1
mode='>'
if [ -n "${SSH_ORIGINAL_COMMAND:-}" ]; then
  case "$SSH_ORIGINAL_COMMAND" in
    "sh clock"|"show clock") date -u '+*%H:%M:%S.000 UTC %a %b %d %Y'; exit 0 ;;
    "show users") printf 'Line  User  Host(s)  Idle\n* 0 vty 0  %s  idle  00:00:00\n' "$USER"; exit 0 ;;
    *) printf "%% Invalid input detected at '^' marker.\n"; exit 1 ;;
  esac
fi
# FAKE_DEVICE_SLOW_START=S: a CLI that greets S seconds late and echoes
# what is typed itself, as IOS does — so a newline typed ahead is answered
# (echo, prompt) only after the greeting's prompt, a moment later.
slow="${FAKE_DEVICE_SLOW_START:-}"
if [ -n "$slow" ]; then
  stty -echo
  sleep "$slow"
fi
printf '\nWelcome to %s\n\n%s%s' "$host" "$host" "$mode"
[ -n "$slow" ] && sleep 0.2
while IFS= read -r line; do
  line=${line%$'\r'}
  [ -n "$slow" ] && printf '%s\n' "$line"
  case "$line" in
    ""|"terminal length 0") ;;
    en|enable)
      printf 'Password: '
      IFS= read -rs secret
      printf '\n'
      if [ "${secret%$'\r'}" = "s3cret" ]; then mode='#'; else printf '%% Bad secrets\n\n'; fi ;;
    "sh clock"|"show clock") date -u '+*%H:%M:%S.000 UTC %a %b %d %Y' ;;
    "show logging")
      # A pager that ignores 'terminal length 0': --More-- after a page,
      # then less-style (END) until 'q'.
      for i in $(seq 1 23); do printf 'log line %d\n' "$i"; done
      printf ' --More-- '
      IFS= read -rsn1 key
      printf '\r          \r'
      for i in $(seq 24 30); do printf 'log line %d\n' "$i"; done
      printf '(END)'
      until [ "$key" = q ]; do IFS= read -rsn1 key; done
      printf '\r     \r' ;;
    "show users") printf 'Line  User  Host(s)  Idle\n* 0 vty 0  %s  idle  00:00:00\n' "$USER" ;;
    exit) exit 0 ;;
    *) printf "%% Invalid input detected at '^' marker.\n\n" ;;
  esac
  printf '%s%s' "$host" "$mode"
done
