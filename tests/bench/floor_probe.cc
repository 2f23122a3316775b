// The floor: the least client work one device session can take on this
// machine — libssh connect (curve25519), password (or key) login, PTY shell, first
// prompt, one command, its prompt, close — with nothing else (no host-key
// file, no paging or enable, no output cleaning, no results pipeline). The
// benchmark compares every client's CPU per device with this.
//
//   floor_probe --inventory devices.yaml --limit 200 --cmd "show clock"
//
// Prints one line: devices, ok, wall seconds, CPU ms per device. Loopback
// inventories only (devsim); every wait is bounded by --timeout.
#include <libssh/libssh.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/time/clock.h"
#include "common/inventory/inventory.h"
#include "common/process_setup.h"

namespace netshard {
namespace {

// Reads until the last byte is a prompt's end (> or #), or the deadline.
bool ReadToPrompt(ssh_channel channel, absl::Time deadline) {
  char buffer[16384];
  char last = 0;
  while (last != '>' && last != '#') {
    int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) return false;
    int n = ssh_channel_read_timeout(channel, buffer, sizeof(buffer), 0, static_cast<int>(ms));
    if (n < 0 || (n == 0 && ssh_channel_is_eof(channel))) return false;
    if (n > 0) last = buffer[n - 1];
  }
  return true;
}

// The device's key when it has one (an sshd fleet), else its password.
bool Login(ssh_session ssh, const Device& device) {
  if (device.key_file.empty()) {
    return ssh_userauth_password(ssh, nullptr, device.password.c_str()) == SSH_AUTH_SUCCESS;
  }
  ssh_key key = nullptr;
  if (ssh_pki_import_privkey_file(device.key_file.c_str(), nullptr, nullptr, nullptr, &key) !=
      SSH_OK) {
    return false;
  }
  bool ok = ssh_userauth_publickey(ssh, nullptr, key) == SSH_AUTH_SUCCESS;
  ssh_key_free(key);
  return ok;
}

bool OneSession(const Device& device, const std::string& command, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  ssh_session ssh = ssh_new();
  unsigned int port = device.port;
  int nodelay = 1;
  bool process_config = false;
  long seconds = absl::ToInt64Seconds(timeout);
  ssh_options_set(ssh, SSH_OPTIONS_HOST, device.address.c_str());
  ssh_options_set(ssh, SSH_OPTIONS_PORT, &port);
  ssh_options_set(ssh, SSH_OPTIONS_USER, device.username.c_str());
  ssh_options_set(ssh, SSH_OPTIONS_NODELAY, &nodelay);
  ssh_options_set(ssh, SSH_OPTIONS_PROCESS_CONFIG, &process_config);
  ssh_options_set(ssh, SSH_OPTIONS_TIMEOUT, &seconds);
  bool ok = ssh_connect(ssh) == SSH_OK && Login(ssh, device);
  ssh_channel channel = ok ? ssh_channel_new(ssh) : nullptr;
  ok = channel != nullptr && ssh_channel_open_session(channel) == SSH_OK &&
       ssh_channel_request_pty(channel) == SSH_OK && ssh_channel_request_shell(channel) == SSH_OK &&
       ReadToPrompt(channel, deadline);
  std::string line = command + "\n";
  ok = ok && ssh_channel_write(channel, line.data(), line.size()) == static_cast<int>(line.size()) &&
       ReadToPrompt(channel, deadline);
  if (channel != nullptr) {
    ssh_channel_close(channel);
    ssh_channel_free(channel);
  }
  ssh_disconnect(ssh);
  ssh_free(ssh);
  return ok;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int Probe(const std::string& path, int limit, const std::string& command, double timeout_s) {
  absl::StatusOr<Inventory> inventory = LoadInventory(path);
  if (!inventory.ok()) {
    std::fprintf(stderr, "floor_probe: %s\n", std::string(inventory.status().message()).c_str());
    return 2;
  }
  const DeviceList& devices = inventory->devices;
  std::atomic<size_t> next{0};
  std::atomic<int> ok{0};
  double cpu_before = CpuSeconds();
  absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int i = 0; i < std::min<int>(limit, devices.size()); ++i) {
    workers.emplace_back([&] {
      for (size_t at = next++; at < devices.size(); at = next++) {
        ok += OneSession(devices[at], command, absl::Seconds(timeout_s));
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  double wall = absl::ToDoubleSeconds(absl::Now() - start);
  double cpu_ms = (CpuSeconds() - cpu_before) * 1000 / devices.size();
  std::printf("devices %zu ok %d wall_s %.2f cpu_ms_per_device %.2f\n", devices.size(), ok.load(),
              wall, cpu_ms);
  return ok.load() == static_cast<int>(devices.size()) ? 0 : 1;
}

}  // namespace
}  // namespace netshard

int main(int argc, char** argv) {
  netshard::RaiseOpenFileLimit();
  std::string inventory = "devices.yaml";
  std::string command = "show clock";
  int limit = 100;
  double timeout_s = 30;
  CLI::App app{"floor_probe: the least client CPU a device session can take"};
  app.add_option("-i,--inventory", inventory, "Inventory (devsim's)")->capture_default_str();
  app.add_option("--limit", limit, "Sessions at once")->check(CLI::Range(1, 100000));
  app.add_option("--cmd", command, "The one command")->capture_default_str();
  app.add_option("--timeout", timeout_s, "Seconds per session")->check(CLI::Range(1.0, 3600.0));
  CLI11_PARSE(app, argc, argv);
  return netshard::Probe(inventory, limit, command, timeout_s);
}
