// A template library — a directory with an `index` and its templates
// (ntc-templates' templates/) — as clitable and Netmiko use it: the index
// picks the template(s) for a platform and a command, each template is
// loaded and compiled once, and several templates for one command are
// merged into one table on their Key values.
#ifndef NETSHARD_COMMON_TEXTFSM_TEXTFSM_LIBRARY_H_
#define NETSHARD_COMMON_TEXTFSM_TEXTFSM_LIBRARY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/mutex.h"
#include "common/textfsm/textfsm.h"
#include "common/textfsm/textfsm_index.h"

namespace netshard {

// Records under one header, as clitable returns them.
struct FsmTable {
  std::vector<std::string> header;
  std::vector<FsmRecord> records;
  std::string templates;  // the index's Template field ("a.textfsm:b.textfsm")
};

// Parses `output` with the templates, in order: the first gives the table;
// each next one adds its new columns to the rows whose Key values match (by
// position when no template has Keys), as clitable's ParseCmd does. List
// items come out as clitable makes them, strings: None as "None", a nested
// group object as Python's repr of the dict — what Netmiko returns.
absl::StatusOr<FsmTable> ParseWithTemplates(const std::vector<const TextFsm*>& templates,
                                            absl::string_view output);

// Thread-safe: templates load on first use, under a lock, then are shared.
class TemplateLibrary {
 public:
  // Reads DIR/index; templates are read when first needed.
  static absl::StatusOr<std::unique_ptr<TemplateLibrary>> Open(const std::string& dir);

  // NotFound when the index has no template for them; other errors name
  // the template file and line (a bad template) or the rule (an Error action).
  absl::StatusOr<FsmTable> Parse(absl::string_view platform, absl::string_view command,
                                 absl::string_view output);

  // The template file, compiled (cached).
  absl::StatusOr<const TextFsm*> Template(const std::string& file);

 private:
  TemplateLibrary(std::string dir, std::unique_ptr<TemplateIndex> index)
      : dir_(std::move(dir)), index_(std::move(index)) {}

  const std::string dir_;
  const std::unique_ptr<TemplateIndex> index_;
  Mutex mu_;
  std::map<std::string, absl::StatusOr<std::unique_ptr<TextFsm>>> loaded_ ABSL_GUARDED_BY(mu_);
};

}  // namespace netshard

#endif  // NETSHARD_COMMON_TEXTFSM_TEXTFSM_LIBRARY_H_
