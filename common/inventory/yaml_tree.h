// Inventory YAML read with libyaml into a compact tree of our own.
//
// Why not yaml-cpp here: on a 100,000-device file its parser alone takes
// 2.0 s and its node tree 6 KB a device; libyaml parses the same file in
// 0.35 s (docs/performance.md). Streaming: every node at `visit_depth` is
// handed to a visitor as soon as it is complete, and may be dropped, so a
// million devices never sit in memory as a tree.
//
// Stricter than yaml-cpp where inventories go wrong silently: a key given
// twice in one mapping is an error naming both lines. Anchors, aliases and
// `<<` merge keys work; a `!vault` tag is remembered, so a vault-encrypted
// value can be refused instead of sent as a password.
#ifndef NETSHARD_COMMON_INVENTORY_YAML_TREE_H_
#define NETSHARD_COMMON_INVENTORY_YAML_TREE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace netshard {

struct YamlNode {
  enum class Kind : uint8_t { kNull, kScalar, kMap, kSequence };
  Kind kind = Kind::kNull;
  bool vault = false;   // tagged `!vault`: Ansible Vault ciphertext
  bool unsafe = false;  // tagged `!unsafe`: Ansible's "not a template"
  int line = 0;        // 1-based
  std::string scalar;  // kScalar
  // kMap: key, value, key, value, ... (keys are scalars); kSequence: items.
  std::vector<YamlNode> items;

  bool IsNull() const { return kind == Kind::kNull; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsMap() const { return kind == Kind::kMap; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  // The value under `key` in a mapping; null when absent or not a mapping.
  const YamlNode* Find(absl::string_view key) const;
  // "a mapping", "a list", "a single value", "empty": for error messages.
  absl::string_view KindName() const;
};

// What a visitor does with a node it was handed.
enum class YamlVisit { kKeep, kDrop };

// Called for every complete value node from depth 1 to `visit_depth` (the
// root is depth 0; keys are never visited) with the keys, or list indexes,
// leading to it, and its key (for its line), null for a list item.
using YamlVisitor = absl::FunctionRef<absl::StatusOr<YamlVisit>(
    const std::vector<std::string>& path, const YamlNode* key, YamlNode& node)>;

// The first document of the file at `path` (its name in errors) or of
// `text` (named `source`). Syntax errors read "<source>:<line>: not valid
// YAML: <problem>". visit_depth < 0: no visits.
absl::StatusOr<YamlNode> ReadYamlFile(const std::string& path, int visit_depth,
                                      YamlVisitor visitor);
absl::StatusOr<YamlNode> ReadYamlText(absl::string_view text, absl::string_view source,
                                      int visit_depth, YamlVisitor visitor);
// `text` named `path` when given, else the file at `path`.
absl::StatusOr<YamlNode> ReadYaml(const std::string& path, const std::optional<std::string>& text,
                                  int visit_depth, YamlVisitor visitor);
// Without visits.
absl::StatusOr<YamlNode> ReadYamlFile(const std::string& path);
absl::StatusOr<YamlNode> ReadYamlText(absl::string_view text, absl::string_view source);

}  // namespace netshard

#endif  // NETSHARD_COMMON_INVENTORY_YAML_TREE_H_
