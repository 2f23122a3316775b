#!/usr/bin/python3
"""netmiko_pool.py ported to `import netshard`: the same devices, the same
concurrency, executor.map in input order — what a course script becomes.

    netshard_pool.py devices.yaml LIMIT "show clock" KNOWN_HOSTS

Prints: devices N ok K wall_s S. Loopback inventories only (devsim's).
"""
import sys
import time

import yaml
import netshard


def main():
    path, limit, command, known_hosts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(path) as f:
        inventory = yaml.safe_load(f)
    devices = [d for group in inventory.values() if isinstance(group, list) for d in group]
    for device in devices:
        if not device["ip"].startswith("127."):
            sys.exit("netshard_pool: loopback inventories only")
    start = time.monotonic()
    ok = 0
    with netshard.Executor(max_workers=limit, known_hosts=known_hosts) as executor:
        for future in executor.as_completed(devices, command):
            ok += future.exception() is None
    print("devices %d ok %d wall_s %.2f" % (len(devices), ok, time.monotonic() - start))


if __name__ == "__main__":
    main()
