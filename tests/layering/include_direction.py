#!/usr/bin/env python3
"""Fails on an #include that runs against the layers: each part of the tree
may include only itself and the parts below it.

  coordinator/cli       the coord command line
    -> coordinator/engine     a run: the public surface every front end drives
      -> coordinator/dispatch   devices to workers, in-process or through agents
        -> coordinator/output   results: printers, journal, order, parse
          -> common/inventory   inventory files          (dispatch and up: common/session)
            -> common/platform  platforms as data
          -> common/textfsm     the TextFSM engine
              -> common         errors, locks, cancellation, files, secrets, version
  common/session (SSH sessions, the job runner) -> common/platform -> common
  agent -> common/session, common/platform, common/textfsm, common
  proto: generated code, included from anywhere above it

Tests may include anything: tests/, and *_test.cc beside the code (a test
may drive its part from above, as agent_service_test does with the
coordinator's dispatch). A file belongs to the longest part its path starts
with; so does an included path.

  include_direction.py SOURCE_ROOT
"""
import os
import re
import sys

COMMON = ["common/session", "common/inventory", "common/platform", "common/textfsm", "common",
          "proto"]
BELOW = {
    "common": ["proto"],
    "common/platform": ["common", "proto"],
    "common/inventory": ["common/platform", "common", "proto"],
    "common/session": ["common/platform", "common", "proto"],
    "common/textfsm": ["common", "proto"],
    "coordinator/output": ["common/inventory", "common/platform", "common/textfsm", "common",
                           "proto"],
    "coordinator/dispatch": ["coordinator/output"] + COMMON,
    "coordinator/engine": ["coordinator/dispatch", "coordinator/output"] + COMMON,
    "coordinator/cli": ["coordinator/engine", "coordinator/dispatch", "coordinator/output"] + COMMON,
    "agent": ["common/session", "common/platform", "common/textfsm", "common", "proto"],
}
PARTS = sorted(BELOW, key=len, reverse=True)
TOP_LEVEL = ("agent", "common", "coordinator", "proto", "tests")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def part_of(path):
    for part in PARTS:
        if path == part or path.startswith(part + "/"):
            return part
    return None


def problems(root):
    found = []
    for top in ("agent", "common", "coordinator"):
        for folder, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".h", ".cc")) or name.endswith("_test.cc"):
                    continue
                path = os.path.relpath(os.path.join(folder, name), root)
                part = part_of(path)
                if part is None:
                    found.append(f"{path}: in no layer (add its folder to {__file__})")
                    continue
                with open(os.path.join(root, path), encoding="utf-8") as source:
                    for number, line in enumerate(source, 1):
                        match = INCLUDE.match(line)
                        if not match or not match.group(1).startswith(TOP_LEVEL):
                            continue  # a system, third-party or generated header
                        included = match.group(1)
                        target = part_of(included) or included.split("/")[0]
                        if target != part and target not in BELOW[part]:
                            found.append(f"{path}:{number}: {part} includes {included} "
                                         f"({target}), which is not below it")
    return found


def main(root):
    found = problems(root)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(f"include_direction: {len(found)} include(s) against the layers", file=sys.stderr)
        return 1
    print("include_direction: every include runs downwards")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
