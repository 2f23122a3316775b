#include "coordinator/cli/inventory_command.h"

#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "coordinator/output/json_string.h"

namespace netshard {
namespace {

std::string Groups(const Device& device) {
  std::vector<std::string> groups = {device.group};
  groups.insert(groups.end(), device.more_groups.begin(), device.more_groups.end());
  return absl::StrJoin(groups, ",");
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

void Table(const Inventory& inventory, std::ostream& out) {
  constexpr char kRow[] = "%-20s %-22s %-18s %-16s %-10s %-12s %-24s %-24s %s\n";
  out << absl::StrFormat(kRow, "NAME", "ADDRESS", "PLATFORM", "GROUPS", "SEGMENT", "USERNAME",
                         "PASSWORD FROM", "SECRET FROM", "LINE");
  for (size_t i = 0; i < inventory.devices.size(); ++i) {
    const Device& device = inventory.devices[i];
    const CredentialSources& from = inventory.sources[i];
    out << absl::StrFormat(kRow, device.name, absl::StrCat(device.address, ":", device.port),
                           device.platform->name, Groups(device), OrDash(device.segment),
                           OrDash(device.username), OrDash(from.password), OrDash(from.secret),
                           absl::StrCat(device.line));
  }
  out << inventory.devices.size() << " devices, " << inventory.format << " format, "
      << inventory.source << "\n";
}

void AddField(std::string* json, absl::string_view key, absl::string_view value) {
  absl::StrAppend(json, ",");
  AppendJsonString(json, key);
  absl::StrAppend(json, ":");
  AppendJsonString(json, value);
}

void Json(const Inventory& inventory, std::ostream& out) {
  out << "[";
  for (size_t i = 0; i < inventory.devices.size(); ++i) {
    const Device& device = inventory.devices[i];
    const CredentialSources& from = inventory.sources[i];
    std::string json = "{\"name\":";
    AppendJsonString(&json, device.name);
    AddField(&json, "address", device.address);
    absl::StrAppend(&json, ",\"port\":", device.port);
    AddField(&json, "device_type", device.device_type);
    AddField(&json, "platform", device.platform->name);
    AddField(&json, "group", device.group);
    absl::StrAppend(&json, ",\"groups\":[");
    for (size_t g = 0; g < device.more_groups.size(); ++g) {
      if (g > 0) json += ",";
      AppendJsonString(&json, device.more_groups[g]);
    }
    absl::StrAppend(&json, "]");
    AddField(&json, "segment", device.segment);
    AddField(&json, "username", device.username);
    absl::StrAppend(&json, ",\"credentials_from\":{");
    AppendJsonString(&json, "username");
    absl::StrAppend(&json, ":");
    AppendJsonString(&json, from.username);
    AddField(&json, "password", from.password);
    AddField(&json, "secret", from.secret);
    AddField(&json, "key_file", from.key_file);
    absl::StrAppend(&json, "},\"vars\":{");
    bool first = true;
    for (const auto& [key, value] : device.vars) {
      if (!first) json += ",";
      first = false;
      AppendJsonString(&json, key);
      json += ":";
      AppendJsonString(&json, value);
    }
    absl::StrAppend(&json, "},\"line\":", device.line, "}");
    out << (i == 0 ? "\n" : ",\n") << json;
  }
  out << "\n]\n";
}

}  // namespace

void AddInventoryFlags(CLI::App* app, InventoryFlags* flags) {
  app->add_option("-i,--inventory", flags->path,
                  "Inventory: the course's devices.yaml, a Nornir hosts.yaml (or its folder), an "
                  "Ansible inventory (YAML or INI), a .netmiko.yml or a CSV file")
      ->capture_default_str();
  app->add_option("--inventory-format", flags->format,
                  "Read the inventory as this format instead of recognising it")
      ->check(CLI::IsMember(InventoryFormats()));
  app->add_option("--group", flags->filter.groups,
                  "Only devices of this group, or an Ansible --limit pattern such as "
                  "'routers:&msk:!r3' (repeat: any of them)");
  app->add_option("--filter", flags->filter.filters,
                  "Only devices with KEY=VALUE (name, ip, device_type, segment, group, or a "
                  "`vars` field; * and ? match; repeat: all must hold)");
}

absl::StatusOr<Inventory> LoadSelected(const InventoryFlags& flags, const EnvLookup& env,
                                       bool record_sources) {
  InventoryOptions options{env, flags.format, record_sources};
  absl::StatusOr<Inventory> inventory = LoadInventory(flags.path, options);
  if (!inventory.ok()) return inventory.status();
  return SelectDevices(*std::move(inventory), flags.filter);
}

CLI::App* AddInventoryCommand(CLI::App* app, InventoryCommandFlags* flags) {
  CLI::App* command = app->add_subcommand(
      "inventory",
      "Show the inventory's devices as netshard reads them, and where each credential comes "
      "from (never the credential)");
  AddInventoryFlags(command, &flags->inventory);
  command->add_option("--format", flags->output, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  return command;
}

int InventoryCommand(const InventoryCommandFlags& flags, const EnvLookup& env, std::ostream& out,
                     std::ostream& err) {
  absl::StatusOr<Inventory> inventory = LoadSelected(flags.inventory, env, true);
  if (!inventory.ok()) {
    err << "coord: " << inventory.status().message() << "\n";
    return 2;
  }
  if (flags.output == "json") {
    Json(*inventory, out);
  } else {
    Table(*inventory, out);
  }
  return 0;
}

}  // namespace netshard
