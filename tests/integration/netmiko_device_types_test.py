#!/usr/bin/python3
"""Every base device_type of Debian's Netmiko 2.4.2 (CLASS_MAPPER_BASE: the
SSH drivers) is a platform or alias `coord` knows, so an inventory written
for Netmiko loads unchanged -- but those docs/platforms-left-out.yaml names,
with the reason, which must then be unknown.

Usage: netmiko_device_types_test.py COORD_BINARY
Prints one line per device_type and 'N passed, N failed'. Exits 0 with
'SKIPPED' only where python3-netmiko is absent.
"""
import os
import subprocess
import sys

import yaml

try:
    from netmiko.ssh_dispatcher import CLASS_MAPPER_BASE
except ImportError as error:
    print(f"SKIPPED: python3-netmiko is not installed ({error})")
    sys.exit(0)


def main():
    listing = subprocess.run([sys.argv[1], "platforms"], capture_output=True, text=True,
                             timeout=60, check=True).stdout
    known = set()
    for line in listing.splitlines()[1:-1]:
        name, _, rest = line.partition(" ")
        known.add(name)
        aliases = rest.rsplit("; ", 1)[1] if "; " in rest else ""
        known.update(a.strip().split(" ")[0] for a in aliases.split(",") if a.strip())
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "docs", "platforms-left-out.yaml")) as f:
        left_out = yaml.safe_load(f)
    failed = 0
    for device_type in sorted(CLASS_MAPPER_BASE):
        ok = (device_type in known) != (device_type in left_out)
        failed += not ok
        print(("ok   " if ok else "FAIL ") + device_type +
              (" (left out: docs/platforms-left-out.yaml)" if device_type in left_out else "") +
              ("" if ok else f" ({CLASS_MAPPER_BASE[device_type].__name__}): "
                             f"{'known' if device_type in known else 'unknown'} to coord"))
    print(f"{len(CLASS_MAPPER_BASE) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
