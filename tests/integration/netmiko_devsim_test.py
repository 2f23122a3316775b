#!/usr/bin/python3
"""Netmiko (Debian's python3-netmiko 2.4.2) as a client of devsim, on every
platform devsim simulates that Netmiko has: the simulator must be faithful
enough that the tool users run today accepts it -- connect, enable,
send_command, a refused command, send_config_set (commit where staged) and
save_config where the platform saves. Netmiko is the independent reference:
if its driver works against devsim's simulation of a platform, the
simulation matches what Netmiko expects of it.

Usage: netmiko_devsim_test.py DEVSIM_BINARY [PLATFORM ...]
Each platform's expectations are the `checks` of its devsim file
(tests/devsim/platforms/NAME.yaml). Prints one line per check and
'N passed, N failed'; exits non-zero on any failure. Exits 0 with 'SKIPPED'
only where python3-netmiko is absent.
"""
import concurrent.futures
import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

try:
    import yaml
    from netmiko import ConnectHandler
    from netmiko.base_connection import BaseConnection
    from netmiko.ssh_dispatcher import CLASS_MAPPER_BASE
    from netmiko.ssh_exception import NetMikoAuthenticationException
except ImportError as error:
    print(f"SKIPPED: python3-netmiko is not installed ({error}); "
          "deploy/install-deps.sh installs it")
    sys.exit(0)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKERS = 8  # Netmiko spends most of its time in fixed sleeps


def simulated_platforms(only):
    """(name, devsim definition, client definition) for each platform Netmiko has."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "devsim", "platforms", "*.yaml"))):
        with open(path) as f:
            sim = yaml.safe_load(f)
        checks = sim.get("checks") or {}
        if checks.get("netmiko") not in CLASS_MAPPER_BASE or (only and sim["name"] not in only):
            continue
        client = {}
        client_path = os.path.join(ROOT, "common", "platforms", sim["name"] + ".yaml")
        if os.path.exists(client_path):
            with open(client_path) as f:
                client = yaml.safe_load(f)
        out.append((sim["name"], sim, client))
    return out


def start_fleet(devsim, workdir, names):
    inventory = os.path.join(workdir, "devices.yaml")
    config = os.path.join(workdir, "fleet.yaml")
    with open(config, "w") as f:
        f.write("devices:\n" + "".join(
            f"- index: {i + 1}\n  platform: {name}\n" for i, name in enumerate(names)) +
            f"- index: {len(names) + 1}\n  password: not-the-inventory-one\n")
    log = open(os.path.join(workdir, "devsim.log"), "w")
    process = subprocess.Popen([devsim, "--count", str(len(names) + 1), "--config", config,
                                "--inventory-out", inventory], stderr=log)
    deadline = time.monotonic() + 30
    while not os.path.exists(inventory):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            sys.exit("devsim did not start")
        time.sleep(0.05)
    time.sleep(0.2)  # the file is written whole before devsim reports it; let it land
    with open(inventory) as f:
        devices = yaml.safe_load(f)["routers"]
    for device in devices:
        device.pop("name")  # ours, not a Netmiko argument
    return process, devices


def exercise(name, sim, client, device):
    """Drives one platform the Netmiko way; returns [(check, ok, detail)]."""
    checks = sim["checks"]
    results = []

    def check(what, condition, detail=""):
        results.append((f"{name} ({checks['netmiko']}): {what}", bool(condition), detail))

    device = dict(device, device_type=checks["netmiko"], fast_cli=False)
    try:
        with ConnectHandler(**device) as ssh:
            if client.get("enable"):
                ssh.enable()
                check("enable reaches privileged mode", ssh.check_enable_mode(), ssh.find_prompt())
            out = ssh.send_command(checks["show"])
            check(f"send_command '{checks['show']}'", checks["show_marker"] in out, out)
            if checks.get("refusal") and checks.get("netmiko_refusal", True):
                bad = ssh.send_command("show flux" if not sim.get("shell") else "flux")
                check("unknown command rejected", checks["refusal"] in bad, bad)
            if checks.get("config") and client.get("config") and checks.get("netmiko_config", True):
                # Netmiko commits only where its driver has commit().
                commit = (client.get("config") or {}).get("commit") and \
                    type(ssh).commit is not BaseConnection.commit
                ssh.send_config_set(checks["config"], exit_config_mode=not commit)
                if commit:
                    ssh.commit()
                    ssh.exit_config_mode()
                shown = ssh.send_command(sim["config"]["show"])
                check("send_config_set applied", checks["applied"] in shown, shown)
                if checks.get("saved") and checks.get("netmiko_save", True):
                    saved = ssh.save_config()
                    check("save_config", checks["saved"] in saved, saved)
    except Exception as error:  # one platform's failure must not hide the others'
        check("session", False, f"{type(error).__name__}: {error}")
    return results


def main():
    devsim = sys.argv[1]
    platforms = simulated_platforms(set(sys.argv[2:]))
    outcomes = []
    with tempfile.TemporaryDirectory() as workdir:
        process, devices = start_fleet(devsim, workdir, [p[0] for p in platforms])
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
                futures = [pool.submit(exercise, name, sim, client, devices[i])
                           for i, (name, sim, client) in enumerate(platforms)]
                for future in futures:
                    outcomes += future.result()
            try:
                ConnectHandler(**dict(devices[len(platforms)], device_type="cisco_ios"))
                outcomes.append(("wrong password rejected", False, "logged in"))
            except NetMikoAuthenticationException:
                outcomes.append(("wrong password rejected", True, ""))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    for what, ok, detail in outcomes:
        print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail!r}"[:600]))
    failed = sum(1 for _, ok, _ in outcomes if not ok)
    print(f"{len(platforms)} platforms that Netmiko 2.4.2 has, simulated by devsim")
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
