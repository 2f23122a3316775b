"""The devices of a devsim inventory as the course's list of dicts, for the
benchmark scripts; any device off loopback is refused (benchmarks send
traffic to 127.0.0.0/8 only)."""
import sys

import yaml


def load(path, who):
    with open(path) as f:
        inventory = yaml.safe_load(f)
    devices = [d for group in inventory.values() if isinstance(group, list) for d in group]
    for device in devices:
        if not device["ip"].startswith("127."):
            sys.exit(f"{who}: loopback inventories only")
    return devices
