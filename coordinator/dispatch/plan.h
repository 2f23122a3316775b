// `coord plan`: what a run would do, without touching a device — which
// agents answer, what they serve, and for each segment how many devices it
// has and who can take them.
#ifndef NETSHARD_COORDINATOR_DISPATCH_PLAN_H_
#define NETSHARD_COORDINATOR_DISPATCH_PLAN_H_

#include <string>
#include <vector>

#include "common/inventory/inventory.h"
#include "coordinator/dispatch/agent_info.h"

namespace netshard {

// One line per segment: devices, capacity of the live agents serving it,
// and their names; a segment nobody serves is marked. `*all_served` tells
// whether every device has an agent. With no reports, the in-process engine
// runs everything.
std::string PlanTable(const Inventory& inventory, const std::vector<AgentReport>& reports,
                      bool* all_served);

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_DISPATCH_PLAN_H_
