#!/usr/bin/python3
"""The reference: Google's textfsm (Debian python3-textfsm) on every
ntc-templates fixture, as ntc-templates' own tests run it — the template the
index picks for the fixture's platform and command (its directories), the
records as Netmiko returns them (lower-case keys) — compared with the
fixture's parsed_sample.

    textfsm_reference.py TEMPLATES_DIR TESTS_DIR OUT.json

Writes {fixture path relative to TESTS_DIR: "ok" or why not}.
"""
import json
import os
import sys

import yaml
from textfsm import clitable


def main():
    templates, tests, out = sys.argv[1:4]
    table = clitable.CliTable("index", templates)
    verdicts = {}
    for root, _, files in sorted(os.walk(tests)):
        for name in sorted(files):
            if not name.endswith(".raw"):
                continue
            raw_path = os.path.join(root, name)
            yml_path = raw_path[:-4] + ".yml"
            relative = os.path.relpath(raw_path, tests)
            parts = relative.split(os.sep)
            if len(parts) != 3 or not os.path.exists(yml_path):
                continue
            platform, command = parts[0], parts[1].replace("_", " ")
            try:
                with open(raw_path, encoding="utf-8", errors="replace") as f:
                    raw = f.read()
                with open(yml_path, encoding="utf-8") as f:
                    expected = (yaml.safe_load(f) or {}).get("parsed_sample")
                table.ParseCmd(raw, {"Command": command, "Platform": platform})
                header = [h.lower() for h in table.header]
                parsed = [dict(zip(header, list(row))) for row in table]
                verdicts[relative] = "ok" if parsed == expected else "differs from parsed_sample"
            except Exception as error:  # a fixture the reference cannot parse
                verdicts[relative] = "%s: %s" % (type(error).__name__, error)
    with open(out, "w") as f:
        json.dump(verdicts, f, indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
