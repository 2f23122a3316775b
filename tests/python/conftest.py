"""Fixtures: a devsim fleet (a real SSH server on loopback) per test, and an
agent. Everything started here is stopped by its PID."""
import itertools
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import yaml

BIN = os.environ.get("NETSHARD_BIN_DIR", "")
SOURCE = os.environ.get("NETSHARD_SOURCE_DIR", "")
# Each fleet on its own 127.x.0.0/24, so host keys and addresses never mix.
_subnets = itertools.count(40)


def wait_for(predicate, what, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.02)


def stop(process, seconds=30.0):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=seconds)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Fleet:
    def __init__(self, path, devices):
        self.path = path          # the inventory devsim wrote
        self.devices = devices    # the course's list of dicts


@pytest.fixture
def fleet(tmp_path):
    """fleet(count, config=None, **devsim flags) -> Fleet."""
    started = []

    def start(count, config=None, latency_ms=0):
        first = f"127.{next(_subnets)}.0.1"
        inventory = tmp_path / f"fleet-{len(started)}.yaml"
        args = [os.path.join(BIN, "devsim"), "--count", str(count), "--first-address", first,
                "--inventory-out", str(inventory), "--latency-ms", str(latency_ms)]
        if config is not None:
            config_file = tmp_path / f"fleet-{len(started)}-config.yaml"
            config_file.write_text(yaml.safe_dump(config))
            args += ["--config", str(config_file)]
        log = open(tmp_path / f"devsim-{len(started)}.log", "w")
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        wait_for(lambda: inventory.exists() and inventory.stat().st_size > 0,
                 f"devsim never wrote {inventory}")
        loaded = yaml.safe_load(inventory.read_text())
        return Fleet(str(inventory), loaded["routers"])

    yield start
    for process in started:
        stop(process)


@pytest.fixture
def agent(tmp_path):
    """A real agent on a loopback port; yields its address."""
    address = f"127.0.0.1:{free_port()}"
    log_path = tmp_path / "agent.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [os.path.join(BIN, "agent"), "--listen", address, "--workers", "20", "--name", "py-agent",
         "--known-hosts", str(tmp_path / "agent_known_hosts")],
        stdout=log, stderr=subprocess.STDOUT)
    wait_for(lambda: "event=listening" in log_path.read_text(), "the agent never listened")
    yield address, log_path
    stop(process)


def run_python(script, cwd, timeout=120, env_extra=None):
    """Runs `script` with this interpreter and the build's netshard."""
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, timeout=timeout,
                          capture_output=True, text=True)
