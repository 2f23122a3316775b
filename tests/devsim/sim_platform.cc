#include "tests/devsim/sim_platform.h"

#include <map>

namespace netshard::devsim {
namespace {

constexpr char kCiscoInvalid[] = "% Invalid input detected at '^' marker.";
constexpr char kCiscoIncomplete[] = "% Incomplete command.";
constexpr char kCiscoAmbiguous[] = "% Ambiguous command:  \"{line}\"";

SimPlatform CiscoLike(std::string name) {
  SimPlatform p;
  p.name = std::move(name);
  p.user_terminator = ">";
  p.privileged_terminator = "#";
  p.enable_words = {"enable"};
  p.enable_password_prompt = "Password: ";
  p.bad_secret = "% Bad secrets";
  p.paging_words = {"terminal", "length"};
  p.width_words = {"terminal", "width"};
  p.pager = " --More-- ";
  p.config = ConfigStyle::kCisco;
  p.config_words = {"configure", "terminal"};
  p.save_words = {"write", "memory"};
  p.save_output = "Building configuration...\r\n[OK]\r\n";
  p.invalid = kCiscoInvalid;
  p.incomplete = kCiscoIncomplete;
  p.ambiguous = kCiscoAmbiguous;
  p.interfaces_command = "show ip interface brief";
  p.config_command = "show running-config";
  return p;
}

std::map<std::string, SimPlatform, std::less<>> Build() {
  std::map<std::string, SimPlatform, std::less<>> all;
  SimPlatform ios = CiscoLike("cisco_ios");
  ios.version =
      "Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.9(3)M4, "
      "RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport\r\n"
      "ROM: Bootstrap program is IOSv\r\n\r\n{host} uptime is 1 week, 2 days, 3 hours, "
      "4 minutes\r\nSystem image file is \"flash0:/vios-adventerprisek9-m\"\r\n"
      "cisco IOSv (revision 1.0) with 460033K/62464K bytes of memory.\r\n"
      "Configuration register is 0x0\r\n";
  all["cisco_ios"] = ios;

  SimPlatform xe = CiscoLike("cisco_xe");
  xe.version =
      "Cisco IOS XE Software, Version 17.03.04a\r\nCisco IOS Software [Amsterdam], Virtual "
      "XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.4a, RELEASE SOFTWARE "
      "(fc3)\r\n\r\n{host} uptime is 3 days, 1 hour, 12 minutes\r\n"
      "System image file is \"bootflash:packages.conf\"\r\n";
  all["cisco_xe"] = xe;

  SimPlatform nxos = CiscoLike("cisco_nxos");
  nxos.starts_privileged = true;
  nxos.enable_words = {};
  nxos.save_words = {"copy", "running-config", "startup-config"};
  nxos.save_output = "[########################################] 100%\r\nCopy complete.\r\n";
  nxos.invalid = "% Invalid command at '^' marker.";
  nxos.incomplete = "% Incomplete command at '^' marker.";
  nxos.ambiguous = "% Ambiguous command at '^' marker.";
  nxos.version =
      "Cisco Nexus Operating System (NX-OS) Software\r\nTAC support: "
      "http://www.cisco.com/tac\r\n\r\nSoftware\r\n  NXOS: version 9.3(8)\r\n\r\n"
      "Hardware\r\n  cisco Nexus9000 C9300v Chassis\r\n  Device name: {host}\r\n";
  all["cisco_nxos"] = nxos;

  SimPlatform xr = CiscoLike("cisco_xr");
  xr.prompt_prefix = "RP/0/RP0/CPU0:";
  xr.starts_privileged = true;
  xr.enable_words = {};
  xr.config = ConfigStyle::kCommit;
  xr.save_words = {};
  xr.invalid = kCiscoInvalid;
  xr.incomplete = "% Incomplete input detected at '^' marker.";
  xr.ambiguous = "% Ambiguous command at '^' marker.";
  xr.interfaces_command = "show ipv4 interface brief";
  xr.version =
      "Cisco IOS XR Software, Version 7.3.2\r\nCopyright (c) 2013-2021 by Cisco Systems, "
      "Inc.\r\n\r\n{host} uptime is 2 weeks, 6 hours, 1 minute\r\n";
  all["cisco_xr"] = xr;

  SimPlatform eos = CiscoLike("arista_eos");
  eos.caret = false;
  eos.bad_secret = "% Access denied";
  eos.save_output = "Copy completed successfully.\r\n";
  eos.invalid = "% Invalid input";
  eos.incomplete = "% Incomplete command";
  eos.ambiguous = "% Ambiguous command";
  eos.version =
      "Arista vEOS-lab\r\nHardware version:\r\nSerial number: SIM{host}\r\n"
      "System MAC address: 5254.0012.3456\r\n\r\nSoftware image version: 4.27.0F\r\n"
      "Architecture: x86_64\r\nUptime: 1 week, 2 days, 3 hours and 4 minutes\r\n";
  all["arista_eos"] = eos;

  SimPlatform junos = CiscoLike("juniper_junos");
  junos.user_in_prompt = true;
  junos.user_terminator = "> ";
  junos.privileged_terminator = "> ";
  junos.starts_privileged = true;
  junos.enable_words = {};
  junos.paging_words = {"set", "cli", "screen-length"};
  junos.width_words = {"set", "cli", "screen-width"};
  junos.pager = "---(more)---";
  junos.config = ConfigStyle::kJunos;
  junos.config_words = {"configure"};
  junos.save_words = {};
  junos.invalid = "syntax error, expecting <command>.";
  junos.incomplete = "syntax error, expecting <command>.";
  junos.ambiguous = "error: '{line}' is ambiguous.";
  junos.interfaces_command = "show interfaces terse";
  junos.config_command = "show configuration";
  junos.version = "Hostname: {host}\r\nModel: vmx\r\nJunos: 21.4R1.12\r\n";
  all["juniper_junos"] = junos;

  SimPlatform linux_shell;
  linux_shell.name = "linux";
  linux_shell.shell = true;
  linux_shell.user_in_prompt = true;
  linux_shell.user_terminator = ":~$ ";
  linux_shell.privileged_terminator = ":~# ";
  linux_shell.enable_words = {"sudo", "su"};
  linux_shell.enable_password_prompt = "[sudo] password for {user}: ";
  linux_shell.bad_secret = "Sorry, try again.";
  linux_shell.caret = false;
  linux_shell.invalid = "-bash: {word}: command not found";
  linux_shell.interfaces_command = "ip -br addr";
  all["linux"] = linux_shell;

  SimPlatform generic = linux_shell;
  generic.name = "generic";
  generic.user_in_prompt = false;
  generic.user_terminator = "% ";
  generic.privileged_terminator = "% ";
  generic.enable_words = {};
  generic.invalid = "{word}: Command not found.";
  all["generic"] = generic;
  return all;
}

const std::map<std::string, SimPlatform, std::less<>>& All() {
  static const auto* all = new std::map<std::string, SimPlatform, std::less<>>(Build());
  return *all;
}

}  // namespace

const SimPlatform* FindSimPlatform(absl::string_view name) {
  auto it = All().find(name);
  return it == All().end() ? nullptr : &it->second;
}

std::vector<std::string> SimPlatformNames() {
  std::vector<std::string> names;
  for (const auto& [name, platform] : All()) names.push_back(name);
  return names;
}

}  // namespace netshard::devsim
