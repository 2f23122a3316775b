// netshard._engine: the engine (coordinator/engine/engine.h) for Python, a
// second thin front end beside `coord`. A run's keyword options are coord
// run's flags (the same RunFlags and MakeSpec, so the same checks and
// messages); each result reaches a Python callable as a dict. The GIL is
// released whenever the engine may wait, and taken only to deliver a result.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/device_error.h"
#include "common/inventory/inventory.h"
#include "common/secret_value.h"
#include "coordinator/cli/run_flags.h"
#include "coordinator/dispatch/agent_targets.h"
#include "coordinator/engine/engine.h"
#include "coordinator/output/parsed_output.h"
#include "coordinator/output/result_sink.h"

namespace py = pybind11;

namespace netshard {
namespace {

// A keyword the caller gave that no option has, or a value of the wrong type.
[[noreturn]] void BadOption(const std::string& name, const std::string& what) {
  throw py::type_error(absl::StrCat("option '", name, "': ", what));
}

template <typename T>
T Take(const std::string& name, py::handle value) {
  try {
    return value.cast<T>();
  } catch (const py::cast_error&) {
    BadOption(name, absl::StrCat("expected ", py::type_id<T>(), ", got ",
                                 std::string(py::str(value.get_type().attr("__name__")))));
  }
}

// A string, or a list of strings.
std::vector<std::string> Strings(const std::string& name, py::handle value) {
  if (py::isinstance<py::str>(value)) return {value.cast<std::string>()};
  return Take<std::vector<std::string>>(name, value);
}

// coord run's flags from the keyword options (seconds as numbers).
RunFlags ToFlags(const py::dict& options) {
  RunFlags flags;
  for (auto [key, value] : options) {
    std::string name = py::str(key);
    if (value.is_none()) continue;
    if (name == "commands") {
      flags.commands = Strings(name, value);
    } else if (name == "config") {
      flags.config_lines = Strings(name, value);
    } else if (name == "save") {
      flags.save = Take<bool>(name, value);
    } else if (name == "keep_going") {
      flags.keep_going = Take<bool>(name, value);
    } else if (name == "timeout") {
      flags.timeout_s = Take<double>(name, value);
    } else if (name == "conn_timeout") {
      flags.connect_timeout_s = Take<double>(name, value);
    } else if (name == "auth_timeout") {
      flags.auth_timeout_s = Take<double>(name, value);
    } else if (name == "banner_timeout") {
      flags.banner_timeout_s = Take<double>(name, value);
    } else if (name == "command_timeout") {
      flags.command_timeout_s = Take<double>(name, value);
    } else if (name == "device_timeout") {
      flags.device_timeout_s = Take<double>(name, value);
    } else if (name == "retries") {
      flags.retries = Take<int>(name, value);
    } else if (name == "retry_backoff") {
      flags.retry_backoff_s = Take<double>(name, value);
    } else if (name == "agents") {
      flags.agents.addresses = Strings(name, value);
    } else if (name == "agent_dns") {
      flags.agents.dns_names = Strings(name, value);
    } else if (name == "agents_file") {
      flags.agents.agents_file = Take<std::string>(name, value);
    } else if (name == "tls_ca") {
      flags.agents.tls.ca = Take<std::string>(name, value);
    } else if (name == "tls_cert") {
      flags.agents.tls.cert = Take<std::string>(name, value);
    } else if (name == "tls_key") {
      flags.agents.tls.key = Take<std::string>(name, value);
    } else if (name == "tls_server_name") {
      flags.agents.tls_server_name = Take<std::string>(name, value);
    } else if (name == "insecure_agents") {
      flags.agents.insecure = Take<bool>(name, value);
    } else if (name == "limit") {
      flags.limit = Take<int>(name, value);
    } else if (name == "logins_per_second") {
      flags.logins_per_second = Take<double>(name, value);
    } else if (name == "source_address") {
      flags.source_address = Take<std::string>(name, value);
    } else if (name == "order") {
      flags.order = Take<std::string>(name, value);
    } else if (name == "journal") {
      flags.journal = Take<std::string>(name, value);
    } else if (name == "transport") {
      flags.transport = Take<std::string>(name, value);
    } else if (name == "host_key_policy") {
      flags.host_key_policy = Take<std::string>(name, value);
    } else if (name == "known_hosts") {
      flags.known_hosts = Take<std::string>(name, value);
    } else if (name == "max_output") {
      flags.max_output_bytes = Take<uint64_t>(name, value);
    } else if (name == "agent_silence_timeout") {
      flags.silence_timeout_s = Take<double>(name, value);
    } else if (name == "agent_prefetch") {
      flags.prefetch = Take<int>(name, value);
    } else if (name == "inventory_format") {
      flags.inventory.format = Take<std::string>(name, value);
    } else if (name == "group") {
      flags.inventory.filter.groups = Strings(name, value);
    } else if (name == "filter") {
      flags.inventory.filter.filters = Strings(name, value);
    } else if (name == "parse") {
      flags.parse = Take<bool>(name, value);
    } else if (name == "templates") {
      flags.templates = Take<std::string>(name, value);
    } else {
      BadOption(name, "no such option");
    }
  }
  if (flags.order != "input" && flags.order != "completion") {
    throw py::value_error("option 'order': 'input' or 'completion'");
  }
  if (flags.transport != "shell" && flags.transport != "exec") {
    throw py::value_error("option 'transport': 'shell' or 'exec'");
  }
  if (flags.host_key_policy != "accept-new" && flags.host_key_policy != "strict" &&
      flags.host_key_policy != "off") {
    throw py::value_error("option 'host_key_policy': 'accept-new', 'strict' or 'off'");
  }
  return flags;
}

template <typename T>
T OrRaise(absl::StatusOr<T> value) {
  if (!value.ok()) throw py::value_error(std::string(value.status().message()));
  return *std::move(value);
}

// With `parse` (may be null), each output also carries "parsed" (the
// records, as Netmiko's use_textfsm gives them) or "parse_note" (why none).
// `json_loads` is Python's json.loads, looked up once per run.
py::dict ToDict(const v1::DeviceResult& result, const Device& device, TemplateLibrary* parse,
                const py::object& json_loads) {
  py::dict d;
  d["index"] = result.job_id();
  d["name"] = device.name;
  d["ip"] = device.address;
  d["port"] = device.port;
  d["device_type"] = device.device_type;
  d["platform"] = result.platform();
  d["ok"] = !result.has_error();
  py::list outputs;
  for (const v1::CommandOutput& output : result.outputs()) {
    py::dict o;
    o["command"] = output.command();
    // Device output is bytes from an untrusted peer: undecodable bytes are
    // escaped, never an exception.
    o["output"] = py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(
        output.output().data(), static_cast<Py_ssize_t>(output.output().size()), "replace"));
    o["rejected"] = output.rejected();
    if (parse != nullptr) {
      ParsedField field = ParseCommandOutput(*parse, ParsePlatform(device, result), output);
      o[py::str(field.name)] = json_loads(field.json);
    }
    outputs.append(std::move(o));
  }
  d["outputs"] = std::move(outputs);
  if (result.has_error()) {
    py::dict e;
    e["code"] = v1::ErrorCode_Name(result.error().code());
    e["stage"] = StageName(result.error().stage());
    e["message"] = result.error().message();
    d["error"] = std::move(e);
  } else {
    d["error"] = py::none();
  }
  d["agent"] = result.agent();
  d["elapsed_ms"] = result.elapsed_ms();
  return d;
}

// Hands each result to a Python callable, holding the GIL only for that.
class CallbackSink : public ResultSink {
 public:
  // Constructed with the GIL held.
  CallbackSink(const DeviceList* devices, TemplateLibrary* parse, py::function on_result)
      : devices_(devices),
        parse_(parse),
        json_loads_(parse != nullptr ? py::object(py::module_::import("json").attr("loads"))
                                     : py::object(py::none())),
        on_result_(std::move(on_result)) {}
  ~CallbackSink() override {
    py::gil_scoped_acquire gil;
    json_loads_ = py::none();
    on_result_ = py::function();
  }

  void Accept(v1::DeviceResult result) override {
    py::gil_scoped_acquire gil;
    const Device& device = (*devices_)[result.job_id()];
    try {
      on_result_(ToDict(result, device, parse_, json_loads_));
    } catch (py::error_already_set& e) {
      // The caller's callback failed; the run goes on for the others.
      e.discard_as_unraisable("netshard result callback");
    }
  }

 private:
  const DeviceList* const devices_;
  TemplateLibrary* const parse_;  // one output thread per run uses it
  py::object json_loads_;
  py::function on_result_;
};

// One run: created with the GIL held, started, then waited on without it.
class PyRun {
 public:
  PyRun(const std::string& inventory, const std::string& source, bool is_path,
        const py::dict& options, py::function on_result, py::object on_event) {
    RunFlags flags = ToFlags(options);
    v1::RunSpec spec = OrRaise(MakeSpec(flags));
    InventoryOptions inventory_options;
    inventory_options.env = ProcessEnv;
    inventory_options.format = flags.inventory.format;
    inventory_ = std::make_shared<const Inventory>(OrRaise(SelectDevices(
        OrRaise(is_path ? LoadInventory(inventory, inventory_options)
                        : ParseInventory(inventory, source, inventory_options)),
        flags.inventory.filter)));
    RunOptions run = MakeRunOptions(flags, std::move(spec),
                                    OrRaise(CollectAgents(flags.agents, ResolveWithSystem)));
    run.journal_path = flags.journal;
    if (!on_event.is_none()) {
      auto callback = std::make_shared<py::object>(std::move(on_event));
      run.on_event = [callback](const std::string& event) {
        py::gil_scoped_acquire gil;
        try {
          (*callback)(event);
        } catch (py::error_already_set& e) {
          e.discard_as_unraisable("netshard event callback");
        }
      };
      on_event_ = callback;
    }
    if (flags.parse) {
      std::string dir = OrRaise(TemplatesDir(flags.templates, ProcessEnv, ""));
      library_ = OrRaise(TemplateLibrary::Open(dir));
    }
    sink_ = std::make_unique<CallbackSink>(&inventory_->devices, library_.get(),
                                           std::move(on_result));
    run_ = OrRaise(Run::Create(inventory_, std::move(run), sink_.get()));
  }

  ~PyRun() {
    // The run's threads deliver results under the GIL: let them finish.
    py::gil_scoped_release release;
    if (started_ && !waited_) {
      run_->Cancel();
      run_->Wait();
    }
    run_.reset();
    sink_.reset();
  }

  void Start() {
    started_ = true;
    py::gil_scoped_release release;
    run_->Start();
  }
  void Stop(const std::string& why) {
    py::gil_scoped_release release;
    run_->Stop(why);
  }
  void Cancel() {
    py::gil_scoped_release release;
    run_->Cancel();
  }
  py::dict Wait() {
    RunSummary summary;
    {
      py::gil_scoped_release release;
      summary = run_->Wait();
    }
    waited_ = true;
    py::dict d;
    d["elapsed_s"] = absl::ToDoubleSeconds(summary.elapsed);
    d["journal_missing"] = summary.journal_missing;
    d["journal_failure"] = summary.journal_failure;
    return d;
  }
  // (name, ip) of each device, in input order.
  std::vector<std::pair<std::string, std::string>> Devices() const {
    std::vector<std::pair<std::string, std::string>> devices;
    for (const Device& device : inventory_->devices) devices.emplace_back(device.name, device.address);
    return devices;
  }

 private:
  std::shared_ptr<const Inventory> inventory_;
  std::unique_ptr<TemplateLibrary> library_;
  std::shared_ptr<py::object> on_event_;
  std::unique_ptr<CallbackSink> sink_;
  std::unique_ptr<Run> run_;
  bool started_ = false;
  bool waited_ = false;
};

}  // namespace
}  // namespace netshard

PYBIND11_MODULE(_engine, m) {
  m.doc() = "netshard's engine; use the netshard package, not this module";
  py::class_<netshard::PyRun>(m, "Run")
      .def(py::init<const std::string&, const std::string&, bool, const py::dict&, py::function,
                    py::object>(),
           py::arg("inventory"), py::arg("source"), py::arg("is_path"), py::arg("options"),
           py::arg("on_result"), py::arg("on_event") = py::none())
      .def("start", &netshard::PyRun::Start)
      .def("stop", &netshard::PyRun::Stop, py::arg("why"))
      .def("cancel", &netshard::PyRun::Cancel)
      .def("wait", &netshard::PyRun::Wait)
      .def("devices", &netshard::PyRun::Devices);
}
