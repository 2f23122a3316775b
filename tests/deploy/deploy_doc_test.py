#!/usr/bin/env python3
"""docs/deploy.md's shell steps, read in order as a root shell would run them:
the netshard user exists before anything is owned by it, /etc/netshard exists
before a file is installed into it, and every /etc/netshard path the systemd
unit reads is installed by some step.

  deploy_doc_test.py docs/deploy.md deploy/systemd/netshard-agent.service
"""
import re
import sys


def commands(markdown):
    """Each line of each ``` block without a language, with its doc line."""
    fence = None  # inside a block: its opening line
    for number, line in enumerate(markdown.splitlines(), 1):
        if line.startswith("```"):
            fence = line.strip() if fence is None else None
            continue
        if fence == "```" and line.strip():
            yield number, line.strip()


def main(doc_path, unit_path):
    with open(doc_path) as doc:
        markdown = doc.read()
    with open(unit_path) as unit_file:
        unit = unit_file.read()
    problems = []
    user_at = None
    dir_at = None
    installed = set()
    for number, command in commands(markdown):
        where = f"{doc_path}:{number}"
        if re.search(r"\buseradd\b.*\bnetshard$", command):
            user_at = number
        owned = re.search(r"(-o|-g|--owner|--group)\s+netshard\b|\bchown\b.*\bnetshard\b", command)
        if owned and user_at is None:
            problems.append(f"{where}: owned by user netshard before useradd creates it: {command}")
        if re.match(r"install\s+-d\b.*\s/etc/netshard$", command):
            dir_at = number
            continue
        target = re.search(r"\s(/etc/netshard/\S+)$", command)
        if command.startswith("install") and target:
            if dir_at is None:
                problems.append(f"{where}: installs into /etc/netshard before "
                                f"`install -d ... /etc/netshard`: {command}")
            installed.add(target.group(1))
    # Paths the unit reads from /etc/netshard (comments aside).
    for line in unit.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for path in re.findall(r"/etc/netshard/[\w.]+", line):
            if path not in installed and "credentials" not in path:
                problems.append(f"{unit_path} reads {path}, which no step of {doc_path} installs")
    if user_at is None:
        problems.append(f"{doc_path}: no step creates the netshard user")
    for problem in problems:
        print(problem)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
