#include "coordinator/dispatch/plan.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace netshard {

std::string PlanTable(const Inventory& inventory, const std::vector<AgentReport>& reports,
                      bool* all_served) {
  std::map<std::string, int> devices;  // segment ("" none) -> devices
  for (const Device& device : inventory.devices) ++devices[device.segment];
  *all_served = true;
  if (reports.empty()) {
    return absl::StrFormat("no --agent: the in-process engine runs all %d devices\n",
                           inventory.devices.size());
  }
  constexpr char kRow[] = "%-20s %8s %9s  %s\n";
  std::string out = absl::StrFormat(kRow, "SEGMENT", "DEVICES", "CAPACITY", "AGENTS");
  for (const auto& [segment, count] : devices) {
    std::vector<std::string> names;
    uint64_t capacity = 0;
    for (const AgentReport& report : reports) {
      if (!report.info.ok()) continue;
      const v1::InfoResponse& info = *report.info;
      bool serves = segment.empty();
      for (const std::string& served : info.segments()) serves |= served == segment;
      if (!serves) continue;
      names.push_back(info.name().empty() ? report.address : info.name());
      capacity += info.capacity();
    }
    std::string who = absl::StrJoin(names, ",");
    if (names.empty()) {
      *all_served = false;
      who = "NONE: these devices would end NO_AGENT_FOR_SEGMENT";
    }
    absl::StrAppend(&out, absl::StrFormat(kRow, segment.empty() ? "(none: any agent)" : segment,
                                          absl::StrCat(count), absl::StrCat(capacity), who));
  }
  return out;
}

}  // namespace netshard
