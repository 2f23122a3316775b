#!/usr/bin/python3
"""netmiko_pool.py ported to `import netshard`: the same devices, the same
concurrency, executor.map in input order — what a course script becomes.

    netshard_pool.py devices.yaml LIMIT "show clock" KNOWN_HOSTS

Prints: devices N ok K wall_s S. Loopback inventories only (devsim's).
"""
import sys
import time

import loopback_inventory
import netshard


def main():
    path, limit, command, known_hosts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    devices = loopback_inventory.load(path, "netshard_pool")
    start = time.monotonic()
    ok = 0
    with netshard.Executor(max_workers=limit, known_hosts=known_hosts) as executor:
        for future in executor.as_completed(devices, command):
            ok += future.exception() is None
    print("devices %d ok %d wall_s %.2f" % (len(devices), ok, time.monotonic() - start))


if __name__ == "__main__":
    main()
