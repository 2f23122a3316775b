#!/usr/bin/python3
"""Netmiko (Debian's python3-netmiko) as a client of devsim: the simulator
must be faithful enough that the tool users run today accepts it.

Usage: netmiko_devsim_test.py DEVSIM_BINARY
Prints 'N passed, N failed' and exits non-zero on any failure.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

import yaml
from netmiko import ConnectHandler
from netmiko.ssh_exception import NetMikoAuthenticationException


def start_fleet(devsim, workdir):
    inventory = os.path.join(workdir, "devices.yaml")
    log = open(os.path.join(workdir, "devsim.log"), "w")
    process = subprocess.Popen([devsim, "--count", "3", "--inventory-out", inventory],
                               stderr=log)
    deadline = time.monotonic() + 30
    while not os.path.exists(inventory):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            sys.exit("devsim did not start")
        time.sleep(0.05)
    with open(inventory) as f:
        devices = yaml.safe_load(f)["routers"]
    for device in devices:
        device.pop("name")  # ours, not a Netmiko argument
    return process, devices


def main():
    devsim = sys.argv[1]
    results = []

    def check(name, condition):
        results.append(condition)
        print(("ok   " if condition else "FAIL ") + name)

    with tempfile.TemporaryDirectory() as workdir:
        process, devices = start_fleet(devsim, workdir)
        try:
            with ConnectHandler(**devices[0]) as ssh:
                check("prompt found", ssh.find_prompt() == "sim1>")
                ssh.enable()
                check("enable reaches privileged mode", ssh.find_prompt() == "sim1#")
                clock = ssh.send_command("sh clock")
                check("show clock answered", clock.startswith("*") and " UTC " in clock)
                table = ssh.send_command("show ip interface brief")
                check("interface table has the device's address",
                      table.splitlines()[0].startswith("Interface") and
                      devices[0]["ip"] in table)
                bad = ssh.send_command("show flux")
                check("unknown command rejected", "% Invalid input detected" in bad)
            wrong = dict(devices[1], password="wrong")
            try:
                ConnectHandler(**wrong)
                check("wrong password rejected", False)
            except NetMikoAuthenticationException:
                check("wrong password rejected", True)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
