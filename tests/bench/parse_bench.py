#!/usr/bin/python3
"""python3-textfsm (clitable, as Netmiko uses it) on every ntc-templates
fixture, over and over for a few seconds; prints what parse_bench prints.

    parse_bench.py NTC_TEMPLATES_DIR [SECONDS]
"""
import os
import sys
import time

from textfsm import clitable


def main():
    root = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3
    inputs = []
    for base, _, files in os.walk(os.path.join(root, "tests")):
        for name in files:
            if not name.endswith(".raw"):
                continue
            parts = os.path.relpath(os.path.join(base, name), os.path.join(root, "tests")).split(os.sep)
            if len(parts) != 3:
                continue
            with open(os.path.join(base, name), encoding="utf-8", errors="replace") as f:
                inputs.append((parts[0], parts[1].replace("_", " "), f.read()))
    table = clitable.CliTable("index", os.path.join(root, "templates"))
    start = time.monotonic()
    records = size = passes = 0
    while True:
        for platform, command, text in inputs:
            try:
                table.ParseCmd(text, {"Command": command, "Platform": platform})
                records += table.size
            except Exception:
                pass
            size += len(text.encode("utf-8"))
        passes += 1
        if time.monotonic() - start >= seconds:
            break
    elapsed = time.monotonic() - start
    print("outputs %d passes %d records_per_s %.0f mb_per_s %.2f" % (
        len(inputs), passes, records / elapsed, size / elapsed / 1e6))


if __name__ == "__main__":
    main()
