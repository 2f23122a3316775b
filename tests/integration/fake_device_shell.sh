#!/bin/bash
# A tiny IOS-like CLI that OpenSSH's sshd runs as the login command in
# openssh_session_test: the session code meets a real sshd and a real PTY
# (kernel echo, onlcr), neither written by us.
host=fake-sw1
mode='>'
printf '\nWelcome to %s\n\n%s%s' "$host" "$host" "$mode"
while IFS= read -r line; do
  line=${line%$'\r'}
  case "$line" in
    ""|"terminal length 0") ;;
    en|enable)
      printf 'Password: '
      IFS= read -rs secret
      printf '\n'
      if [ "${secret%$'\r'}" = "s3cret" ]; then mode='#'; else printf '%% Bad secrets\n\n'; fi ;;
    "sh clock"|"show clock") date -u '+*%H:%M:%S.000 UTC %a %b %d %Y' ;;
    "show users") printf 'Line  User  Host(s)  Idle\n* 0 vty 0  %s  idle  00:00:00\n' "$USER" ;;
    exit) exit 0 ;;
    *) printf "%% Invalid input detected at '^' marker.\n\n" ;;
  esac
  printf '%s%s' "$host" "$mode"
done
