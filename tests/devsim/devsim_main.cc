// devsim: a fleet of simulated network devices behind one SSH port on
// loopback, for demos, tests and benchmarks.
//
//   devsim --count 200 --inventory-out /tmp/devices.yaml
//   devsim --count 50 --config faults.yaml   # platforms and faults per device
//   devsim --platforms my-platforms/ --platform huawei   # platform files of your own
//
// Runs until SIGINT or SIGTERM.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "CLI/CLI.hpp"
#include "common/process_setup.h"
#include "common/version.h"
#include "absl/strings/str_cat.h"
#include "tests/devsim/devsim_server.h"

namespace {

// Written to a temporary name then renamed: a reader that sees the file sees
// all of it, which is how scripts know the fleet is ready.
bool WriteInventory(const std::string& path,
                    const netshard::devsim::DevsimServer& server,
                    const netshard::devsim::FleetOptions& options) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << "# devsim fleet: " << server.devices().size()
        << " simulated devices on loopback\nrouters:\n";
    for (size_t i = 0; i < server.devices().size(); ++i) {
      const auto& device = server.devices()[i];
      out << "- device_type: " << server.behaviour(static_cast<int>(i)).platform->name << "\n"
          << "  name: " << device.hostname << "\n"
          << "  ip: " << device.address << "\n"
          << "  port: " << server.port() << "\n"
          << "  username: " << options.username << "\n"
          << "  password: " << options.password << "\n"
          << "  secret: " << options.secret << "\n";
    }
    if (!out.flush()) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

// A line of /proc/self/status in KiB ("VmRSS", "VmHWM"), or -1.
long StatusKib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  netshard::devsim::FleetOptions options;
  std::string inventory_out;
  int latency_ms = 0;
  CLI::App app{"devsim: simulated network devices on loopback"};
  app.add_option("--count", options.count, "Number of devices")->check(CLI::Range(1, 1000000));
  app.add_option("--port", options.port, "SSH port shared by all devices (0: any free)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--first-address", options.first_address,
                 "Address of the first device; the rest follow, inside 127.0.0.0/8");
  app.add_option("--latency-ms", latency_ms, "Delay before each command's output")
      ->check(CLI::Range(0, 600000));
  app.add_option("--username", options.username, "Login every device accepts");
  app.add_option("--password", options.password, "Password every device accepts");
  app.add_option("--secret", options.secret, "Enable secret of every device");
  std::string config_file;
  std::string platform = "cisco_ios";
  app.add_option("--config", config_file,
                 "YAML file choosing each device's platform and faults (docs/devsim.md)");
  app.add_option("--platform", platform, "Platform of devices the config does not name");
  std::string platforms_dir;
  app.add_option("--platforms", platforms_dir,
                 "Directory of platform files (*.yaml) adding to or replacing the built-in "
                 "ones by name (docs/devsim-platforms.md)");
  app.add_option("--host-key", options.host_key_file,
                 "Host key file: reused if present, else created (default: a new key each start)");
  app.add_option("--inventory-out", inventory_out,
                 "Write a devices.yaml for the fleet here once it listens");
  app.set_version_flag("--version", netshard::VersionLine("devsim"));
  CLI11_PARSE(app, argc, argv);
  options.latency = absl::Milliseconds(latency_ms);
  // Before the fleet config, whose platform names may be these files'.
  if (!platforms_dir.empty()) {
    absl::Status added = netshard::devsim::AddSimPlatformDir(platforms_dir);
    if (!added.ok()) {
      std::cerr << "devsim: --platforms: " << added.message() << "\n";
      return 2;
    }
  }
  if (!config_file.empty()) {
    auto config = netshard::devsim::LoadFleetConfig(config_file);
    if (!config.ok()) {
      std::cerr << "devsim: " << config.status().message() << "\n";
      return 2;
    }
    options.config = *std::move(config);
  }
  if (app.count("--platform") != 0 || config_file.empty()) {
    options.config.platform = netshard::devsim::FindSimPlatform(platform);
    if (options.config.platform == nullptr) {
      std::cerr << "devsim: --platform: unknown platform '" << platform << "'\n";
      return 2;
    }
  }
  netshard::RaiseOpenFileLimit();
  netshard::BlockStopSignals();

  auto server = netshard::devsim::DevsimServer::Start(options);
  if (!server.ok()) {
    std::cerr << "devsim: " << server.status().message() << "\n";
    return 2;
  }
  const auto& devices = (*server)->devices();
  std::cerr << "devsim: " << devices.size() << " devices, " << devices.front().address
            << " .. " << devices.back().address << " port " << (*server)->port() << "\n";
  if (!inventory_out.empty() && !WriteInventory(inventory_out, **server, options)) {
    std::cerr << "devsim: cannot write " << inventory_out << "\n";
    return 2;
  }
  long idle_kib = StatusKib("VmRSS");
  netshard::AwaitStopSignal();
  (*server)->Stop();
  long peak_kib = StatusKib("VmHWM");
  int peak = (*server)->peak_sessions();
  std::cerr << "devsim: stopped; peak concurrent sessions " << peak << "\n"
            << "devsim: memory: " << idle_kib << " KiB idle, " << peak_kib << " KiB peak";
  if (peak > 0) std::cerr << ", " << (peak_kib - idle_kib) / peak << " KiB per open session";
  std::cerr << "\n";
  return 0;
}
