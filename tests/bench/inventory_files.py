"""Writes one fleet of N loopback devices in every inventory format netshard
reads, for tests/bench/inventory_load.sh:

  course   devices.yaml (defaults + one group)
  nornir   nornir/hosts.yaml, groups.yaml, defaults.yaml
  ansible  ansible/hosts (INI) + group_vars/all.yml
  ansible-yaml  ansible.yml
  netmiko  .netmiko.yml
  csv      devices.csv

  python3 tests/bench/inventory_files.py DIR N

Addresses are 127.X.Y.Z (benchmarks target loopback only); nothing listens
there: coord plan reads the files and connects to nothing."""
import os
import sys


def address(i):
    return f"127.{i // 62500 % 256}.{i // 250 % 250}.{i % 250 + 1}"


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.writelines(lines)


def main(folder, count):
    names = [f"r{i:07d}" for i in range(count)]
    port = lambda i: 20000 + i % 40000
    write(os.path.join(folder, "devices.yaml"),
          ["defaults:\n  username: cisco\n  password: cisco\n  secret: cisco\n"
           "  device_type: cisco_ios\nrouters:\n"] +
          [f"- name: {n}\n  ip: {address(i)}\n  port: {port(i)}\n" for i, n in enumerate(names)])
    write(os.path.join(folder, "nornir", "hosts.yaml"),
          [f"{n}:\n  hostname: {address(i)}\n  port: {port(i)}\n  groups: [routers]\n"
           for i, n in enumerate(names)])
    write(os.path.join(folder, "nornir", "groups.yaml"),
          ["routers:\n  platform: ios\n  connection_options:\n    netmiko:\n"
           "      extras: {secret: cisco}\n"])
    write(os.path.join(folder, "nornir", "defaults.yaml"), ["username: cisco\npassword: cisco\n"])
    write(os.path.join(folder, "ansible", "hosts"),
          ["[routers]\n"] +
          [f"{n} ansible_host={address(i)} ansible_port={port(i)}\n" for i, n in enumerate(names)])
    write(os.path.join(folder, "ansible", "group_vars", "all.yml"),
          ["ansible_user: cisco\nansible_password: cisco\nansible_become_password: cisco\n"
           "ansible_network_os: cisco.ios.ios\n"])
    write(os.path.join(folder, "ansible.yml"),
          ["all:\n  vars:\n    ansible_user: cisco\n    ansible_password: cisco\n"
           "    ansible_network_os: ios\n  children:\n    routers:\n      hosts:\n"] +
          [f"        {n}: {{ansible_host: {address(i)}, ansible_port: {port(i)}}}\n"
           for i, n in enumerate(names)])
    write(os.path.join(folder, ".netmiko.yml"),
          [f"{n}:\n  device_type: cisco_ios\n  host: {address(i)}\n  port: {port(i)}\n"
           f"  username: cisco\n  password: cisco\n" for i, n in enumerate(names)])
    write(os.path.join(folder, "devices.csv"),
          ["name,ip,port,device_type,username,password,secret\n"] +
          [f"{n},{address(i)},{port(i)},cisco_ios,cisco,cisco,cisco\n" for i, n in enumerate(names)])


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
