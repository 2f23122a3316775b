"""netshard for Python: the concurrent.futures shapes of the course's Netmiko
scripts, run by the netshard engine (in-process, or through agents).

    import netshard

    with netshard.Executor(max_workers=50) as executor:
        for result in executor.map(devices, "sh clock"):       # input order
            print(result)                                       # {ip: output}
        for future in executor.as_completed(devices, "sh clock"):
            try:
                print(future.result())
            except netshard.AuthenticationError as e:
                print(e)

`devices` is a list of the course's device dicts (Netmiko's ConnectHandler
keys) or the path of any inventory file `coord` reads. Keyword options are
`coord run`'s flags (docs/python.md lists them). Futures are
concurrent.futures.Future objects, so concurrent.futures.as_completed and
wait work on those `submit` returns.
"""
import atexit
import collections
import concurrent.futures
import json
import logging
import re
import threading
import time
import weakref

from netshard import _engine

__all__ = [
    "Executor", "Future", "DeviceError", "AuthenticationError", "ConnectError",
    "ConnectTimeoutError", "DeviceTimeoutError", "HostKeyError", "CommandRejectedError",
    "ChannelClosedError", "OutputTooLargeError", "PlatformNotDetectedError", "AgentLostError",
    "CancelledError", "NetMikoAuthenticationException", "NetMikoTimeoutException",
]


class DeviceError(Exception):
    """A device's run failed. `outputs` holds what it gathered before that
    (command -> output); `code` and `stage` are coord's (README: Output)."""

    def __init__(self, device, ip, code, stage, message, outputs):
        super().__init__(f"{device} ({ip}): {code} at {stage}: {message}")
        self.device = device
        self.ip = ip
        self.code = code
        self.stage = stage
        self.message = message
        self.outputs = outputs


class AuthenticationError(DeviceError):
    """AUTH_FAILED, ENABLE_FAILED."""


class ConnectError(DeviceError):
    """CONNECT_REFUSED, CONNECT_FAILED (and CONNECT_TIMEOUT)."""


class DeviceTimeoutError(DeviceError):
    """COMMAND_TIMEOUT, PROMPT_NOT_FOUND (and CONNECT_TIMEOUT)."""


class ConnectTimeoutError(ConnectError, DeviceTimeoutError):
    """CONNECT_TIMEOUT: both a connect error and a timeout, as in Netmiko."""


class HostKeyError(DeviceError):
    """HOST_KEY_MISMATCH, HOST_KEY_UNKNOWN."""


class CommandRejectedError(DeviceError):
    """COMMAND_REJECTED: the device refused a command or configuration line."""


class ChannelClosedError(DeviceError):
    """CHANNEL_CLOSED: the device hung up mid-session."""


class OutputTooLargeError(DeviceError):
    """OUTPUT_TOO_LARGE: past the run's max_output; `outputs` has what came."""


class PlatformNotDetectedError(DeviceError):
    """PLATFORM_NOT_DETECTED: autodetect matched no platform."""


class AgentLostError(DeviceError):
    """AGENT_LOST, NO_AGENT_FOR_SEGMENT."""


class CancelledError(DeviceError):
    """CANCELLED: the run was stopped (Ctrl-C, shutdown) before the device finished."""


# For ported course scripts: `except NetMikoAuthenticationException` keeps working.
NetMikoAuthenticationException = AuthenticationError
NetMikoTimeoutException = DeviceTimeoutError

_ERRORS = {
    "AUTH_FAILED": AuthenticationError,
    "ENABLE_FAILED": AuthenticationError,
    "CONNECT_REFUSED": ConnectError,
    "CONNECT_FAILED": ConnectError,
    "CONNECT_TIMEOUT": ConnectTimeoutError,
    "COMMAND_TIMEOUT": DeviceTimeoutError,
    "PROMPT_NOT_FOUND": DeviceTimeoutError,
    "HOST_KEY_MISMATCH": HostKeyError,
    "HOST_KEY_UNKNOWN": HostKeyError,
    "COMMAND_REJECTED": CommandRejectedError,
    "CHANNEL_CLOSED": ChannelClosedError,
    "OUTPUT_TOO_LARGE": OutputTooLargeError,
    "PLATFORM_NOT_DETECTED": PlatformNotDetectedError,
    "AGENT_LOST": AgentLostError,
    "NO_AGENT_FOR_SEGMENT": AgentLostError,
    "CANCELLED": CancelledError,
}


class Future(concurrent.futures.Future):
    """One device's result; `device` is its name."""

    def __init__(self, device):
        super().__init__()
        self.device = device

    def __repr__(self):
        return f"<netshard.Future device={self.device!r} {super().__repr__()[1:-1]}>"


# How long submit() waits for more submits before it starts what it has: a
# list comprehension of submits becomes one run.
_SUBMIT_GATHER_S = 0.005
_SUBMIT_GATHER_MAX_S = 0.1


def _output(output):
    # With parse=True, the records where a template parsed the output (as
    # Netmiko's use_textfsm returns them), else the text.
    return output.get("parsed", output["output"])


def _outputs(result):
    return {output["command"]: _output(output) for output in result["outputs"]}


def _value(result, command):
    """The course's result shape: {ip: output}, or {ip: {command: output}}."""
    if isinstance(command, str):
        outputs = [_output(o) for o in result["outputs"] if o["command"] == command]
        return {result["ip"]: outputs[-1] if outputs else ""}
    return {result["ip"]: _outputs(result)}


def _error(result):
    error = result["error"]
    kind = _ERRORS.get(error["code"], DeviceError)
    return kind(result["name"], result["ip"], error["code"], error["stage"], error["message"],
                _outputs(result))


_log = logging.getLogger("netshard")
_live = weakref.WeakSet()


@atexit.register
def _shutdown_all():
    # Engine threads must not deliver results into a finalizing interpreter.
    for executor in list(_live):
        executor.shutdown(wait=True, cancel_futures=True)


_LINE = re.compile(r"^devices:(\d+):")


def _inventory(devices):
    """(text, source, is_path) for the engine: a path as is, a list of dicts as
    a YAML flow list with device i on line i + 1, so errors name devices[i]."""
    if isinstance(devices, str):
        return devices, devices, True
    if hasattr(devices, "__fspath__"):
        return devices.__fspath__(), devices.__fspath__(), True
    entries = []
    for i, device in enumerate(devices):
        if not isinstance(device, dict):
            raise TypeError(f"devices[{i}]: a dict of ConnectHandler keys, not "
                            f"{type(device).__name__}")
        entries.append(json.dumps(device, default=str))
    return "devices: [" + ",\n".join(entries) + "]\n", "devices", False


def _named(message):
    """An inventory error about line N of a list of dicts names devices[N-1]."""
    return _LINE.sub(lambda m: f"devices[{int(m.group(1)) - 1}]:", message)


def _commands(command):
    if command is None:
        return []
    if isinstance(command, str):
        return [command]
    return list(command)


class _Run:
    """One engine run and who gets its results; holds `slots` of the
    executor's max_workers from start to end."""

    def __init__(self, executor, devices, command, options, deliver):
        text, source, is_path = _inventory(devices)
        options = dict(options)
        options["commands"] = _commands(command)
        self.deliver = deliver
        self.done = threading.Event()
        self.received = 0
        self.slots = 0
        try:
            self.handle = _engine.Run(text, source, is_path, options, self._on_result,
                                      executor._on_event)
        except ValueError as e:
            raise ValueError(_named(str(e))) from None
        self.devices = self.handle.devices()
        self.size = len(self.devices)
        self._executor = executor

    def _on_result(self, result):
        # On the engine's output thread, one result at a time.
        self.deliver(self, result)
        self.received += 1
        if self.received == self.size:
            self.done.set()
            self._executor._finished(self)


class _Results:
    """The iterator map and as_completed return. Closing it (or dropping it)
    before the end stops its run: devices not started end CANCELLED, those
    in progress finish."""

    def __init__(self, executor, run, results, make):
        self._executor = executor
        self._run = run
        self._results = results
        self._make = make
        self._taken = 0

    def __iter__(self):
        return self

    def __next__(self):
        run = self._run
        if self._taken >= run.size:
            raise StopIteration
        try:
            with run.ready:
                while not self._results:
                    run.ready.wait()
                result = self._results.popleft()
        except KeyboardInterrupt:
            self._executor._interrupt()
            raise
        self._taken += 1
        value, failed = self._make(result)
        if failed is not None:
            self.close()  # as Executor.map: iteration ends at a failed device
            raise failed
        return value

    def close(self):
        if self._taken < self._run.size:
            self._taken = self._run.size
            if self._run.received < self._run.size:
                self._run.handle.stop("the caller stopped reading results")

    def __del__(self):
        self.close()


class Executor:
    """Runs commands on devices, like concurrent.futures.ThreadPoolExecutor
    runs functions: at most `max_workers` devices at once (default 100), in
    this process or through `agents` ("host:port" list). Other keywords are
    coord run's options and apply to every call; a call's own keywords win.
    `grace`: after Ctrl-C, seconds devices in progress may take to finish."""

    def __init__(self, max_workers=None, agents=None, grace=10.0, on_event=None, **options):
        if max_workers is not None and max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        self._max_workers = max_workers or 100
        self._grace = grace
        # What a user should see while runs go (an agent lost, jobs moved).
        self._on_event = on_event or _log.warning
        self._options = dict(options)
        self._options["limit"] = self._max_workers
        if agents is not None:
            self._options["agents"] = list(agents) if not isinstance(agents, str) else agents
        self._lock = threading.Condition()
        self._waiting = collections.deque()  # runs waiting for their slots
        self._submits = []                   # (future, device, command, options)
        self._active = []                    # runs started, not yet joined
        self._free = self._max_workers
        self._closed = False
        self._dispatcher = None
        _live.add(self)

    # --- the concurrent.futures surface ---------------------------------

    def map(self, devices, command=None, **options):
        """Results in input order, each {ip: output} ({ip: {command: output}}
        for a list of commands) as soon as it and all before it are done; a
        failed device raises its DeviceError when iteration reaches it."""
        run, results = self._queued_run(devices, command, options, "input")
        return _Results(
            self, run, results,
            lambda result: (_value(result, command), None) if result["ok"] else (None, _error(result)))

    def as_completed(self, devices, command=None, **options):
        """A done Future per device, in the order devices finish."""
        run, results = self._queued_run(devices, command, options, "completion")
        return _Results(self, run, results, lambda result: self._done_future(result, command))

    def submit(self, device, command=None, **options):
        """One device (a dict, as in the course) now; a Future for it.
        Submits made together run together, as one run."""
        if not isinstance(device, dict):
            raise TypeError("submit() takes one device dict; map() and as_completed() take many")
        future = Future(device.get("name") or device.get("host") or device.get("ip"))
        with self._lock:
            self._check_open()
            self._submits.append((future, device, command, options))
            self._ensure_dispatcher()
            self._lock.notify_all()
        return future

    def shutdown(self, wait=True, *, cancel_futures=False):
        """No new work; with cancel_futures, devices not started end
        CANCELLED (submits not started are cancelled); with wait, returns
        once every run has ended and its threads are gone."""
        with self._lock:
            self._closed = True
            never_started = self._take_waiting() if cancel_futures else []
            running = list(self._active) if cancel_futures else []
            self._lock.notify_all()
        self._stop(never_started, running, "executor shut down")
        if wait:
            self._join()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            self._interrupt()
        else:
            self.shutdown(wait=True)
        return False

    # --- runs and slots --------------------------------------------------

    def _check_open(self):
        if self._closed:
            raise RuntimeError("cannot schedule new runs after shutdown")

    def _merged(self, options, order):
        if "order" in options or "order" in self._options:
            raise TypeError("no 'order' option: map() gives input order, as_completed() and "
                            "submit() completion order")
        merged = dict(self._options)
        merged.update(options)
        merged["order"] = order
        return merged

    def _queued_run(self, devices, command, options, order):
        results = collections.deque()
        ready = threading.Condition(threading.Lock())

        def deliver(run, result):
            with ready:
                results.append(result)
                ready.notify()

        with self._lock:
            self._check_open()
        run = _Run(self, devices, command, self._merged(options, order), deliver)
        run.ready = ready
        with self._lock:
            self._check_open()
            if run.size > 0:
                self._waiting.append(run)
                self._ensure_dispatcher()
                self._lock.notify_all()
        return run, results

    def _done_future(self, result, command):
        future = Future(result["name"])
        future.set_running_or_notify_cancel()
        if result["ok"]:
            future.set_result(_value(result, command))
        else:
            future.set_exception(_error(result))
        return future, None

    def _ensure_dispatcher(self):
        if self._dispatcher is None:
            self._dispatcher = threading.Thread(target=self._dispatch, name="netshard-dispatch",
                                                daemon=True)
            self._dispatcher.start()

    def _dispatch(self):
        """Starts waiting runs as slots free up (first come, first served, each
        with min(devices, max_workers) slots) and gathers submits into runs."""
        with self._lock:
            while True:
                if self._submits:
                    self._gather_submits()
                started = False
                while self._waiting:
                    run = self._waiting[0]
                    # A run stopped while it waited has ended every device
                    # already: it starts only to wind down, holding no slot.
                    need = 0 if run.done.is_set() else min(run.size, self._max_workers)
                    if self._free < need:
                        break
                    self._waiting.popleft()
                    self._free -= need
                    run.slots = need
                    self._active.append(run)
                    run.handle.start()
                    started = True
                if self._closed and not self._waiting and not self._submits:
                    return
                if not started:
                    self._lock.wait(timeout=1.0)

    def _gather_submits(self):
        # A burst of submits (a list comprehension) becomes one run.
        start = time.monotonic()
        count = -1
        while count != len(self._submits) and time.monotonic() - start < _SUBMIT_GATHER_MAX_S:
            count = len(self._submits)
            self._lock.wait(timeout=_SUBMIT_GATHER_S)
        submits, self._submits = self._submits, []
        groups = {}
        for future, device, command, options in submits:
            if not future.set_running_or_notify_cancel():
                continue  # cancelled by its owner before it started
            key = (json.dumps(_commands(command)), json.dumps(options, sort_keys=True, default=str))
            groups.setdefault(key, []).append((future, device, command, options))
        for members in groups.values():
            # One device once per run: a device submitted twice runs twice.
            while members:
                batch, seen, rest = [], set(), []
                for member in members:
                    device = member[1]
                    name = device.get("name") or device.get("host") or device.get("ip")
                    key = (name, device.get("port", 22))
                    (rest if key in seen else batch).append(member)
                    seen.add(key)
                self._submit_run(batch)
                members = rest

    def _submit_run(self, batch):
        futures = [member[0] for member in batch]
        command, options = batch[0][2], batch[0][3]

        def deliver(run, result):
            future = futures[result["index"]]
            if result["ok"]:
                future.set_result(_value(result, command))
            else:
                future.set_exception(_error(result))

        try:
            run = _Run(self, [member[1] for member in batch], command,
                       self._merged(options, "completion"), deliver)
        except (ValueError, TypeError) as e:
            for future in futures:
                future.set_exception(e)
            return
        self._waiting.append(run)

    def _finished(self, run):
        with self._lock:
            self._free += run.slots
            self._lock.notify_all()

    def _take_waiting(self):
        """Under the lock: cancels submits not yet in a run; the runs waiting
        for slots become active, to be stopped before they start."""
        for future, _, _, _ in self._submits:
            future.cancel()
        self._submits = []
        waiting = list(self._waiting)
        self._waiting.clear()
        self._active.extend(waiting)
        return waiting

    @staticmethod
    def _stop(never_started, running, why):
        # Never under the executor's lock: a stop hands results to the
        # engine's output thread, whose last one takes that lock.
        for run in never_started:
            run.handle.stop(why)  # before it starts: no device does
            run.handle.start()
        for run in running:
            run.handle.stop(why)

    def _join(self):
        if self._dispatcher is not None:
            self._dispatcher.join()
        with self._lock:
            runs, self._active = self._active, []
        for run in runs:
            run.handle.wait()

    def _interrupt(self):
        """Ctrl-C: nothing new starts; devices in progress get `grace` seconds
        to finish, then are cancelled (at once on a second Ctrl-C)."""
        with self._lock:
            self._closed = True
            never_started = self._take_waiting()
            runs = list(self._active)
            self._lock.notify_all()
        self._stop(never_started, [run for run in runs if run not in never_started],
                   "run cancelled (KeyboardInterrupt)")
        deadline = time.monotonic() + self._grace
        try:
            for run in runs:
                if not run.done.wait(max(0.0, deadline - time.monotonic())):
                    run.handle.cancel()
        except KeyboardInterrupt:
            pass
        for run in runs:
            run.handle.cancel()
        self._join()
