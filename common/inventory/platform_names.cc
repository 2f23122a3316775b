#include "common/inventory/platform_names.h"

#include <map>

#include "absl/strings/ascii.h"

namespace netshard {
namespace {

// Short names (NAPALM's drivers, nornir_netmiko's napalm_to_netmiko_map, the
// last part of Ansible's collection names) to Netmiko's device_type.
const std::map<std::string, std::string, std::less<>>& ShortNames() {
  static const auto* names = new std::map<std::string, std::string, std::less<>>{
      {"ios", "cisco_ios"},          {"iosxe", "cisco_xe"},
      {"ios-xe", "cisco_xe"},        {"iosxr", "cisco_xr"},
      {"ios-xr", "cisco_xr"},        {"nxos", "cisco_nxos"},
      {"nxos_ssh", "cisco_nxos"},    {"asa", "cisco_asa"},
      {"eos", "arista_eos"},         {"junos", "juniper_junos"},
      {"vyos", "vyos"},              {"edgeos", "ubiquiti_edgerouter"},
      {"routeros", "mikrotik_routeros"}, {"os10", "dell_os10"},
      {"os9", "dell_force10"},       {"os6", "dell_os6"},
      {"exos", "extreme_exos"},      {"slxos", "extreme_slx"},
      {"voss", "extreme_vsp"},       {"nos", "extreme_nos"},
      {"ironware", "extreme_netiron"}, {"icx", "ruckus_fastiron"},
      {"ce", "huawei"},              {"vrp", "huawei"},
      {"huawei_vrp", "huawei"},      {"netvisor", "pluribus"},
      {"eric_eccli", "ericsson_ipos"}, {"sros", "alcatel_sros"},
      {"fortios", "fortinet"},       {"panos", "paloalto_panos"},
      {"aruba", "aruba_os"},         {"comware", "hp_comware"},
      {"procurve", "hp_procurve"},   {"aoscx", "aruba_os"},
      {"ocnos", "ipinfusion_ocnos"}, {"awplus", "allied_telesis_awplus"},
      {"gaia", "checkpoint_gaia"},   {"linux", "linux"},
  };
  return *names;
}

}  // namespace

std::string DeviceTypeFor(absl::string_view name) {
  std::string lower = absl::AsciiStrToLower(name);
  // Ansible's fully qualified names: namespace.collection.platform.
  absl::string_view last = lower;
  if (size_t dot = last.find_last_of('.'); dot != absl::string_view::npos) {
    last = last.substr(dot + 1);
  }
  auto known = ShortNames().find(last);
  if (known != ShortNames().end()) return known->second;
  return std::string(name);
}

}  // namespace netshard
