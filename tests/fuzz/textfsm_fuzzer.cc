// libFuzzer target: TextFSM on hostile input. The input is used twice — as
// device output through templates that use every feature (lists with
// nested groups, Filldown, Fillup, Required, lookarounds, Continue chains,
// state changes), and as a template itself. Neither may crash, hang or
// leak; records always have one cell per header entry.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/textfsm/textfsm.h"

namespace {

const char* const kTemplates[] = {
    "Value Filldown VRF (\\S+)\n"
    "Value Required,Key PREFIX (\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+)\n"
    "Value List HOPS ((?P<via>\\S+)\\s+(?P<dev>\\S+)?)\n"
    "Value Fillup AGE ((?<=age )\\d{,4}(?!\\d))\n"
    "\n"
    "Start\n"
    "  ^VRF\\s+${VRF} -> Continue\n"
    "  ^\\s*${PREFIX} -> Route\n"
    "  ^.*age ${AGE}\n"
    "  ^\\s*$$\n"
    "\n"
    "Route\n"
    "  ^\\s+via ${HOPS}\n"
    "  ^\\s*${PREFIX} -> Continue.Record\n"
    "  ^\\s*${PREFIX}\n"
    "  ^end -> Next.Record Start\n"
    "  ^abort -> Clearall\n"
    "  ^stop -> End\n",
    "Value INTF ([\\w/.\\-]+)\n"
    "Value IP (\\S+)\n"
    "Value STATUS (up|down|administratively down)\n"
    "\n"
    "Start\n"
    "  ^Interface\\s+IP -> Table\n"
    "\n"
    "Table\n"
    "  ^${INTF}\\s+${IP}\\s+\\w+\\s+\\w+\\s+${STATUS} -> Record\n"
    "  ^[Ee]rror -> EOF\n"
    "\n"
    "EOF\n",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  static const auto* fsms = [] {
    auto* list = new std::vector<std::unique_ptr<netshard::TextFsm>>;
    for (const char* text : kTemplates) list->push_back(*netshard::TextFsm::Parse(text, "fuzz"));
    return list;
  }();
  for (const auto& fsm : *fsms) {
    auto records = fsm->ParseText(input);
    if (!records.ok()) continue;
    for (const netshard::FsmRecord& record : *records) {
      if (record.size() != fsm->header().size()) __builtin_trap();
    }
  }
  auto own = netshard::TextFsm::Parse(input, "input");
  if (own.ok()) {
    auto records = (*own)->ParseText("line one\nline 2 with 10.0.0.1/24\n\n");
    (void)records;
  }
  return 0;
}
