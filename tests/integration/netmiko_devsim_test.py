#!/usr/bin/python3
"""Netmiko (Debian's python3-netmiko) as a client of devsim, on every
platform both support: the simulator must be faithful enough that the tool
users run today accepts it -- connect, enable, send_command, send_config_set.

Usage: netmiko_devsim_test.py DEVSIM_BINARY
Prints one line per check and 'N passed, N failed'; exits non-zero on any
failure. Exits 0 with 'SKIPPED' only where python3-netmiko is absent.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

try:
    import yaml
    from netmiko import ConnectHandler
    from netmiko.ssh_exception import NetMikoAuthenticationException
except ImportError as error:
    print(f"SKIPPED: python3-netmiko is not installed ({error}); "
          "deploy/install-deps.sh installs it")
    sys.exit(0)

# Fleet position (1-based) -> platform; the last device wants another password.
PLATFORMS = ["cisco_ios", "cisco_xe", "cisco_nxos", "cisco_xr", "arista_eos",
             "juniper_junos", "linux"]
FLEET_CONFIG = "devices:\n" + "".join(
    f"- index: {i + 1}\n  platform: {name}\n" for i, name in enumerate(PLATFORMS)) + (
    f"- index: {len(PLATFORMS) + 1}\n  password: not-the-inventory-one\n")

# What `show version` (or its shell twin) must contain, per platform.
VERSION = {
    "cisco_ios": ("show version", "Cisco IOS Software"),
    "cisco_xe": ("show version", "Cisco IOS XE Software"),
    "cisco_nxos": ("show version", "NX-OS"),
    "cisco_xr": ("show version", "Cisco IOS XR Software"),
    "arista_eos": ("show version", "Software image version"),
    "juniper_junos": ("show version", "Junos: "),
    "linux": ("uname -a", "Linux sim7 "),
}
REJECTED = {
    "cisco_ios": "% Invalid input detected",
    "cisco_xe": "% Invalid input detected",
    "cisco_nxos": "% Invalid command",
    "cisco_xr": "% Invalid input detected",
    "arista_eos": "% Invalid input",
    "juniper_junos": "syntax error",
    "linux": "command not found",
}


def start_fleet(devsim, workdir):
    inventory = os.path.join(workdir, "devices.yaml")
    config = os.path.join(workdir, "fleet.yaml")
    with open(config, "w") as f:
        f.write(FLEET_CONFIG)
    log = open(os.path.join(workdir, "devsim.log"), "w")
    process = subprocess.Popen([devsim, "--count", str(len(PLATFORMS) + 1), "--config", config,
                                "--inventory-out", inventory], stderr=log)
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


def configure(ssh, platform):
    """Applies a change the Netmiko way; returns the text that must then be
    in the device's configuration, and how to show it."""
    if platform == "juniper_junos":
        ssh.send_config_set(["set system host-name netmiko-mx"], exit_config_mode=False)
        ssh.commit()
        ssh.exit_config_mode()
        return "show configuration", "set system host-name netmiko-mx"
    if platform == "cisco_xr":
        ssh.send_config_set(["interface Loopback9", "description netmiko"])
        ssh.commit()
        ssh.exit_config_mode()
        return "show running-config", " description netmiko"
    if platform == "linux":
        out = ssh.send_config_set(["whoami"])  # config mode is root, via sudo
        return None, "root" if "root" in out else out
    ssh.send_config_set(["interface Loopback9", "description netmiko"])
    return "show running-config", " description netmiko"


def main():
    devsim = sys.argv[1]
    results = []

    def check(name, condition, detail=""):
        results.append(bool(condition))
        print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail!r}"))

    print("skipped: generic (Netmiko 2.4 has no 'generic' device_type)")
    with tempfile.TemporaryDirectory() as workdir:
        process, devices = start_fleet(devsim, workdir)
        try:
            for index, platform in enumerate(PLATFORMS):
                device = dict(devices[index], device_type=platform, fast_cli=False)
                with ConnectHandler(**device) as ssh:
                    ssh.enable()
                    prompt = ssh.find_prompt()
                    check(f"{platform}: enable reaches privileged mode",
                          prompt.endswith("#") or platform == "juniper_junos", prompt)
                    command, marker = VERSION[platform]
                    out = ssh.send_command(command)
                    check(f"{platform}: send_command '{command}'", marker in out, out)
                    bad = ssh.send_command("show flux" if platform != "linux" else "flux")
                    check(f"{platform}: unknown command rejected", REJECTED[platform] in bad, bad)
                    show, expected = configure(ssh, platform)
                    if show is None:
                        check(f"{platform}: send_config_set", expected == "root", expected)
                    else:
                        config = ssh.send_command(show)
                        check(f"{platform}: send_config_set applied", expected in config, config)
            wrong = dict(devices[len(PLATFORMS)])
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
