// devsim: a fleet of simulated IOS-like devices behind one SSH port on
// loopback, for demos, tests and benchmarks.
//
//   devsim --count 200 --inventory-out /tmp/devices.yaml
//
// Runs until SIGINT or SIGTERM.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "CLI/CLI.hpp"
#include "common/process_setup.h"
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
    for (const auto& device : server.devices()) {
      out << "- device_type: cisco_ios\n"
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
  app.add_flag("--pager-ignores-length", options.pager_ignores_terminal_length,
               "Page long output (--More--) even after 'terminal length 0'");
  app.add_option("--host-key", options.host_key_file,
                 "Host key file: reused if present, else created (default: a new key each start)");
  app.add_option("--inventory-out", inventory_out,
                 "Write a devices.yaml for the fleet here once it listens");
  CLI11_PARSE(app, argc, argv);
  options.latency = absl::Milliseconds(latency_ms);
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
  netshard::AwaitStopSignal();
  (*server)->Stop();
  std::cerr << "devsim: stopped; peak concurrent sessions " << (*server)->peak_sessions()
            << "\n";
  return 0;
}
