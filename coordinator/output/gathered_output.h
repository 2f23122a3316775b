// `--gather`: devices whose output is identical are shown once, under one
// header naming them all, as `clush -b` does ("sim[1-40,42] (41)").
#ifndef NETSHARD_COORDINATOR_OUTPUT_GATHERED_OUTPUT_H_
#define NETSHARD_COORDINATOR_OUTPUT_GATHERED_OUTPUT_H_

#include <map>
#include <string>
#include <vector>

#include "common/inventory/inventory.h"
#include "netshard/v1/agent.pb.h"

namespace netshard {

// Names folded into ranges where they differ only in a trailing number:
// {sim1, sim2, sim3, sim5, core} -> "core,sim[1-3,5]".
std::string FoldNames(std::vector<std::string> names);

// Thread contract: used under its owner's lock. Holds one copy of each
// distinct output, not one per device.
class GatheredOutput {
 public:
  void Add(const Device& device, const v1::DeviceResult& result);
  // Every group, the largest first.
  std::string Text() const;

 private:
  std::map<std::string, std::vector<std::string>> names_by_body_;
};

}  // namespace netshard

#endif  // NETSHARD_COORDINATOR_OUTPUT_GATHERED_OUTPUT_H_
