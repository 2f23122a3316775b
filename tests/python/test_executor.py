"""`import netshard` against devsim and a real agent: the concurrent.futures
shapes (map, as_completed, submit), errors as exceptions, Ctrl-C, cleanup,
and secrets kept out of everything Python shows."""
import concurrent.futures
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import netshard
from conftest import SOURCE, run_python, wait_for


@pytest.fixture
def options(tmp_path):
    # Host keys go to the test's own known_hosts, never ~/.ssh.
    return {"known_hosts": str(tmp_path / "known_hosts")}


def test_map_yields_in_input_order_as_soon_as_each_and_those_before_are_done(fleet, options):
    slow = fleet(8, config={"devices": [{"index": 1, "command_delay_ms": 1500}]})
    with netshard.Executor(max_workers=8, **options) as executor:
        start = time.monotonic()
        seen = []
        for result in executor.map(slow.devices, "sh clock"):
            ((ip, output),) = result.items()
            assert " UTC " in output
            seen.append((ip, time.monotonic() - start))
    assert [ip for ip, _ in seen] == [d["ip"] for d in slow.devices]
    # The slow first device holds back the rest, which are then all ready.
    assert seen[0][1] >= 1.4
    assert seen[-1][1] - seen[0][1] < 0.5


def test_map_values_are_the_course_shape(fleet, options):
    small = fleet(3)
    with netshard.Executor(max_workers=3, **options) as executor:
        results = list(executor.map(small.devices, "sh clock"))
        many = list(executor.map(small.devices, ["sh clock", "sh version"]))
    for device, result in zip(small.devices, results):
        assert list(result) == [device["ip"]]
        assert " UTC " in result[device["ip"]]
    for device, result in zip(small.devices, many):
        assert list(result[device["ip"]]) == ["sh clock", "sh version"]
        assert "Cisco IOS" in result[device["ip"]]["sh version"]


def test_as_completed_streams_results_while_slow_devices_still_run(fleet, options):
    slow = fleet(6, config={"devices": [{"index": 1, "command_delay_ms": 2000}]})
    with netshard.Executor(max_workers=6, **options) as executor:
        start = time.monotonic()
        order = []
        for future in executor.as_completed(slow.devices, "sh clock"):
            assert future.done()
            order.append((future.device, time.monotonic() - start))
            ((_, output),) = future.result().items()
            assert " UTC " in output
    assert order[-1][0] == slow.devices[0]["name"]
    assert order[0][1] < 1.5  # available while the slow device still runs
    assert sorted(name for name, _ in order) == sorted(d["name"] for d in slow.devices)


def test_every_fault_is_its_exception_with_what_was_gathered(fleet, options, tmp_path):
    faulty = fleet(7, config={"devices": [
        {"index": 2, "password": "other"},
        {"index": 3, "faults": ["hang_after_login"]},
        {"index": 4, "faults": ["drop_mid_command"]},
        {"index": 5, "faults": ["changing_host_key"]},
        {"index": 6, "faults": ["refuse"]},
    ]})
    devices = faulty.devices
    closed = dict(devices[6], name="closed", port=1)  # nothing listens on port 1
    devices = devices[:7] + [closed]
    with netshard.Executor(max_workers=8, timeout=3, **options) as executor:
        list(executor.as_completed(devices[4:5], "sh clock"))  # remember sim5's first key
        errors = {}
        for future in executor.as_completed(devices, ["show version", "sh clock"]):
            error = future.exception()
            if error is not None:
                errors[future.device] = error
    assert set(errors) == {"sim2", "sim3", "sim4", "sim5", "sim6", "closed"}
    auth = errors["sim2"]
    assert isinstance(auth, netshard.AuthenticationError)
    assert isinstance(auth, netshard.NetMikoAuthenticationException)
    assert (auth.device, auth.ip, auth.code, auth.stage) == ("sim2", devices[1]["ip"],
                                                             "AUTH_FAILED", "AUTH")
    hang = errors["sim3"]
    assert isinstance(hang, netshard.NetMikoTimeoutException)
    assert hang.code == "PROMPT_NOT_FOUND"
    dropped = errors["sim4"]
    assert isinstance(dropped, netshard.ChannelClosedError)
    assert "Cisco IOS" in dropped.outputs["show version"]  # the half before the drop is kept
    assert isinstance(errors["sim5"], netshard.HostKeyError)
    assert errors["sim5"].code == "HOST_KEY_MISMATCH"
    assert isinstance(errors["sim6"], netshard.ConnectError)  # reset at once: no free VTY
    assert isinstance(errors["closed"], netshard.ConnectError)
    assert errors["closed"].code == "CONNECT_REFUSED"
    for error in errors.values():
        assert isinstance(error, netshard.DeviceError)
        assert str(error).startswith(f"{error.device} ({error.ip}): {error.code} at ")


def test_a_rejected_command_raises_when_map_reaches_it(fleet, options):
    small = fleet(3)
    with netshard.Executor(max_workers=3, **options) as executor:
        results = executor.map(small.devices, ["sh clock", "sh bogus"])
        with pytest.raises(netshard.CommandRejectedError) as raised:
            next(results)
    assert raised.value.code == "COMMAND_REJECTED"
    assert " UTC " in raised.value.outputs["sh clock"]


def test_config_lines_then_the_check(fleet, options):
    small = fleet(2)
    with netshard.Executor(max_workers=2, **options) as executor:
        results = list(executor.map(small.devices, "show running-config",
                                    config=["interface Loopback7", "description from-python"],
                                    save=True))
    for result in results:
        (output,) = result.values()
        assert "description from-python" in output


def test_submit_futures_work_with_the_standard_library(fleet, options):
    small = fleet(10, config={"devices": [{"index": 4, "password": "other"}]})
    with netshard.Executor(max_workers=3, **options) as executor:
        futures = [executor.submit(device, "sh clock") for device in small.devices]
        done, _ = concurrent.futures.wait(futures, timeout=60)
        assert len(done) == 10
        failed = [f for f in concurrent.futures.as_completed(futures) if f.exception()]
    assert [f.device for f in failed] == ["sim4"]
    assert all(" UTC " in list(f.result().values())[0] for f in futures if f not in failed)


def test_runs_through_an_agent(fleet, agent, options):
    address, log = agent
    small = fleet(5)
    with netshard.Executor(max_workers=5, agents=[address]) as executor:
        results = list(executor.map(small.devices, "sh clock"))
    assert len(results) == 5
    assert all(" UTC " in list(r.values())[0] for r in results)
    wait_for(lambda: "event=run_end" in log.read_text(), "the agent never ran the run")


def test_inventory_mistakes_name_the_device_and_field(options):
    devices = [{"device_type": "cisco_ios", "ip": "127.0.0.1", "username": "u", "password": "p"},
               {"device_type": "cisco_ioss", "ip": "127.0.0.2", "username": "u", "password": "p"}]
    with netshard.Executor(**options) as executor:
        with pytest.raises(ValueError, match=r"devices\[1\]: field 'device_type'.*cisco_ios"):
            executor.map(devices, "sh clock")
        with pytest.raises(TypeError, match="option 'no_such': no such option"):
            executor.map(devices[:1], "sh clock", no_such=1)
        with pytest.raises(TypeError, match="option 'timeout': expected"):
            executor.map(devices[:1], "sh clock", timeout="soon")
        with pytest.raises(ValueError, match="--save needs --config"):
            executor.map(devices[:1], "sh clock", save=True)
        # The ranges coord run's flags have (there CLI11 checks them).
        with pytest.raises(ValueError, match=r"--timeout: -1 is not in \[0.1, 86400\]"):
            executor.map(devices[:1], "sh clock", timeout=-1)
        with pytest.raises(ValueError, match=r"--command-timeout: 1e\+06 is not in"):
            executor.map(devices[:1], "sh clock", command_timeout=1e6)
        with pytest.raises(ValueError, match=r"--retries: 11 is not in \[0, 10\]"):
            executor.map(devices[:1], "sh clock", retries=11)
        with pytest.raises(TypeError, match="no 'order' option"):
            executor.map(devices[:1], "sh clock", order="completion")


def test_secrets_never_appear_in_what_python_shows(fleet, options):
    password, secret = "Pw-7f3a9-never-shown", "En-51c2e-never-shown"
    small = fleet(2)
    devices = [dict(d, password=password, secret=secret) for d in small.devices]
    shown = []
    with netshard.Executor(max_workers=2, **options) as executor:
        futures = [executor.submit(device, "sh clock") for device in devices]
        for future in futures:
            error = future.exception(timeout=60)
            shown += [repr(future), str(future), str(error), repr(error), repr(error.args),
                      repr(error.outputs)]
        bad = [dict(devices[0], port="not-a-port")]
        with pytest.raises(ValueError) as raised:
            executor.map(bad, "sh clock")
        shown += [str(raised.value), repr(raised.value)]
    assert all(error for error in shown)
    for text in shown:
        assert password not in text and secret not in text, text


NOTHING_OUTLIVES = r"""
import os, sys, threading
import netshard, yaml
devices = yaml.safe_load(open(sys.argv[1]))["routers"]
import time
counts = lambda: (len(os.listdir("/proc/self/task")), len(os.listdir("/proc/self/fd")),
                  threading.active_count())
def settled():
    # A joined Python thread leaves threading's count a moment before its OS
    # thread is gone: on a loaded machine that moment shows. What leaks stays.
    now = counts()
    for _ in range(50):
        time.sleep(0.1)
        now, then = counts(), now
        if now == then:
            break
    return now
with netshard.Executor(max_workers=10, known_hosts=sys.argv[2]) as executor:
    list(executor.map(devices, "sh clock"))  # warm-up: libraries' one-time state
before = settled()
for _ in range(3):
    with netshard.Executor(max_workers=10, known_hosts=sys.argv[2]) as executor:
        list(executor.map(devices, "sh clock"))
        [f.result() for f in [executor.submit(d, "sh clock") for d in devices]]
print(before, settled())
"""


def test_nothing_outlives_the_executor(fleet, tmp_path):
    # In a fresh interpreter: gRPC's own threads, started by another test's
    # agent run, come and go on their own.
    small = fleet(20)
    (tmp_path / "check.py").write_text(NOTHING_OUTLIVES)
    done = subprocess.run([sys.executable, str(tmp_path / "check.py"), small.path,
                           str(tmp_path / "known_hosts")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    before, after = done.stdout.strip().split(") (")
    assert before + ")" == "(" + after, done.stdout  # threads, descriptors, Python threads


CTRL_C = r"""
import sys, time, threading
sys.path.insert(0, {pythonpath!r})
import netshard, yaml
devices = yaml.safe_load(open({inventory!r}))["routers"]
try:
    with netshard.Executor(max_workers=2, grace=1.0, known_hosts={known_hosts!r}) as executor:
        results = executor.map(devices, "sh clock")
        start = time.monotonic()
        print("started", flush=True)
        for result in results:
            print("result", flush=True)
except KeyboardInterrupt:
    print("interrupted after %.2f s, threads %d" % (time.monotonic() - start,
                                                   threading.active_count()), flush=True)
"""


def test_ctrl_c_stops_the_run_gently_and_closes_the_executor(fleet, tmp_path):
    # Every command takes 6 s: Ctrl-C 0.5 s into the run; the two devices in
    # progress get the 1 s grace, then are cancelled; the rest never start.
    slow = fleet(6, config={"devices": [{"index": "1-6", "command_delay_ms": 6000}]})
    script = CTRL_C.format(pythonpath=os.environ["PYTHONPATH"], inventory=slow.path,
                           known_hosts=str(tmp_path / "known_hosts"))
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "started"
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "result" not in out
    line = out.strip().splitlines()[-1]
    seconds = float(line.split()[2])
    assert 1.4 <= seconds < 4.0, line  # 0.5 s, then the 1 s grace; never the 6 s command
    assert line.endswith("threads 1"), line


@pytest.mark.parametrize("script", ["netmiko_threads_map_final.py",
                                    "netmiko_threads_submit_exception.py"])
def test_the_course_scripts_ported(fleet, tmp_path, script):
    course = fleet(4, config={"devices": [{"index": 2, "password": "other"}]})
    (tmp_path / "devices.yaml").write_text(open(course.path).read())
    path = os.path.join(SOURCE, "python", "examples", script)
    # The scripts as users run them; only the test's own known_hosts is added.
    wrapper = (f"import functools, runpy, netshard\n"
               f"netshard.Executor = functools.partial(netshard.Executor, "
               f"known_hosts={str(tmp_path / 'known_hosts')!r})\n"
               f"runpy.run_path({path!r}, run_name='__main__')\n")
    done = run_python(wrapper, cwd=tmp_path)
    ips = [d["ip"] for d in course.devices]
    if script == "netmiko_threads_map_final.py":
        assert done.returncode == 1  # map raises the failed login, as the course's does
        assert "AuthenticationError" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        assert f"sim2 ({ips[1]}): AUTH_FAILED at AUTH" in done.stdout
        for ip in ips[:1] + ips[2:]:
            assert f"'{ip}': '" in done.stdout


def test_an_abandoned_iteration_stops_its_run_and_frees_its_workers(fleet, options):
    slow = fleet(4, config={"devices": [{"index": "1-4", "command_delay_ms": 1000}]})
    quick = fleet(2)
    with netshard.Executor(max_workers=2, **options) as executor:
        first = executor.map(slow.devices, "sh clock")
        waiting = executor.map(slow.devices, "sh clock")  # queued behind the first
        next(first)  # holds both workers for a second
        first.close()   # the other two devices of it never start
        waiting.close()  # never started: ends without taking a worker
        start = time.monotonic()
        assert len(list(executor.map(quick.devices, "sh clock"))) == 2
        assert time.monotonic() - start < 2.0


def test_parse_gives_the_records_netmiko_use_textfsm_would(fleet, options):
    templates = os.path.join(SOURCE, "..", "shared", "ntc-templates", "templates")
    if not os.path.exists(os.path.join(templates, "index")):
        pytest.skip(f"no {templates}")  # as parse_e2e_test: the library sits beside the clone
    small = fleet(2)
    with netshard.Executor(max_workers=2, parse=True, templates=templates, **options) as executor:
        results = list(executor.map(small.devices, ["show ip interface brief", "sh clock"]))
    for device, result in zip(small.devices, results):
        records = result[device["ip"]]["show ip interface brief"]
        assert isinstance(records, list) and records, records
        assert set(records[0]) >= {"interface", "ip_address", "status", "proto"}
        assert device["ip"] in [r["ip_address"] for r in records]
    with netshard.Executor(**options) as executor:
        with pytest.raises(ValueError, match="index"):
            executor.map(small.devices, "sh clock", parse=True, templates="/nonexistent")


def test_the_inventories_users_already_have_with_limit_patterns(fleet, options, tmp_path):
    small = fleet(4)
    # An Ansible INI inventory, as a team would already have it.
    lines = ["[core]"]
    for i, device in enumerate(small.devices):
        if i == 2:
            lines.append("[edge]")
        lines.append(f"r{i} ansible_host={device['ip']} ansible_port={device.get('port', 22)}")
    lines += ["[all:vars]", f"ansible_user={small.devices[0]['username']}",
              f"ansible_password={small.devices[0]['password']}", "ansible_network_os=cisco.ios.ios"]
    hosts = tmp_path / "hosts"
    hosts.write_text("\n".join(lines) + "\n")
    with netshard.Executor(max_workers=4, **options) as executor:
        results = list(executor.map(str(hosts), "sh clock", group="core:r3"))
        excluded = list(executor.map(str(hosts), "sh clock", group="all:!r2"))
        only = list(executor.map(str(hosts), "sh clock", group="core", filter="name=r1"))
    ips = [device["ip"] for device in small.devices]
    assert [list(result) for result in results] == [[ips[0]], [ips[1]], [ips[3]]]
    assert all(" UTC " in output for result in results for output in result.values())
    assert [list(result) for result in excluded] == [[ips[0]], [ips[1]], [ips[3]]]
    assert [list(result) for result in only] == [[ips[1]]]
    with pytest.raises(ValueError, match="--group nowhere: no such group or device"):
        with netshard.Executor(**options) as executor:
            list(executor.map(str(hosts), "sh clock", group="nowhere"))
