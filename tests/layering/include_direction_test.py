#!/usr/bin/env python3
"""The layering check on the real tree (clean), and on small planted trees:
an include upwards, an agent including the coordinator, and a file outside
every layer each fail it, naming file and line.

  include_direction_test.py SOURCE_ROOT
"""
import atexit
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import include_direction  # noqa: E402


def planted(files):
    root = tempfile.mkdtemp(prefix="include_direction_test.")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for path, text in files.items():
        os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(root, path), "w") as out:
            out.write(text)
    return root


def expect(condition, what):
    if not condition:
        print(f"include_direction_test: {what}", file=sys.stderr)
        sys.exit(1)


def main(source_root):
    real = include_direction.problems(source_root)
    expect(not real, "the tree breaks its layers:\n  " + "\n  ".join(real))

    upward = planted({
        "coordinator/output/journal.cc": '#include "common/mutex.h"\n'
                                         '#include "coordinator/dispatch/job_table.h"\n',
        "coordinator/dispatch/job_table.h": '#include "coordinator/output/result_sink.h"\n',
    })
    found = include_direction.problems(upward)
    expect(found == ["coordinator/output/journal.cc:2: coordinator/output includes "
                     "coordinator/dispatch/job_table.h (coordinator/dispatch), which is not "
                     "below it"], f"an upward include: {found}")

    sideways = planted({"agent/agent_service.cc": '#include "coordinator/cli/run_flags.h"\n'
                                                  '#include <grpcpp/grpcpp.h>\n'})
    found = include_direction.problems(sideways)
    expect(len(found) == 1 and found[0].startswith("agent/agent_service.cc:1: agent includes"),
           f"the agent including the coordinator: {found}")

    stray = planted({"coordinator/engine.cc": '#include "common/mutex.h"\n'})
    found = include_direction.problems(stray)
    expect(len(found) == 1 and "in no layer" in found[0], f"a file in no layer: {found}")
    print("include_direction_test: the tree is layered; planted wrong includes are caught")


if __name__ == "__main__":
    main(sys.argv[1])
