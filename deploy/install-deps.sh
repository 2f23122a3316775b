#!/usr/bin/env bash
# Installs what netshard needs to build, test and run, from Debian 12's own
# packages. Installs only what is missing; safe to run again.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libcpp-httplib-dev
  libssh-dev libyaml-cpp-dev libyaml-dev libabsl-dev libre2-dev libcli11-dev libpcre2-dev
  googletest libgmock-dev libbenchmark-dev
  openssh-server  # the OpenSSH integration test runs a real sshd on loopback
  time            # /usr/bin/time: tests/bench measures CPU and RSS with it
  openssl         # deploy/tls/make-certs.sh (lab certificates; the mTLS e2e test)
  python3-netmiko # Netmiko as a client of devsim (tests/integration/netmiko_devsim_test.py)
  pssh clustershell  # what tests/bench/compare_tools.sh compares netshard with
  python3-textfsm python3-yaml  # the reference TextFSM the ntc-templates conformance test checks against
  help2man man-db # man pages from the programs' own --help (deploy/man), and reading them in tests
  dpkg-dev file   # deploy/package.sh: CPack's Depends come from dpkg-shlibdeps, which it runs on what file(1) calls ELF
  systemd         # systemd-analyze verify: the agent's unit, as built and as installed by its package
  python3-dev pybind11-dev python3-pytest  # `import netshard` (python/) and its tests
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
