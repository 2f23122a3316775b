#!/usr/bin/python3
"""The course's own approach, as its threads_conn: Netmiko sessions in a
ThreadPoolExecutor(max_workers=LIMIT).map — connect, enable, one command.

    netmiko_pool.py devices.yaml LIMIT "show clock"

Prints: devices N ok K wall_s S. Loopback inventories only (devsim's).
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import loopback_inventory
from netmiko import ConnectHandler

FIELDS = ("device_type", "ip", "port", "username", "password", "secret", "key_file")


def send_show(device, command):
    try:
        args = {k: device[k] for k in FIELDS if k in device}
        args["use_keys"] = "key_file" in args
        with ConnectHandler(**args) as ssh:
            ssh.enable()
            return " UTC " in ssh.send_command(command) or bool(ssh.find_prompt())
    except Exception:  # a failed device is a result, as in the course
        return False


def main():
    path, limit, command = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    devices = loopback_inventory.load(path, "netmiko_pool")
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=limit) as pool:
        results = list(pool.map(lambda d: send_show(d, command), devices))
    print("devices %d ok %d wall_s %.2f" % (len(devices), sum(results), time.monotonic() - start))


if __name__ == "__main__":
    main()
