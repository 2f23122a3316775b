#include "common/inventory/yaml_tree.h"

#include <yaml.h>

#include <cstdio>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/yaml_errors.h"

namespace netshard {
namespace {

// Alias expansion copies nodes; a few aliased anchors nested in each other
// ("billion laughs") must not exhaust memory.
constexpr size_t kMaxAliasNodes = 1'000'000;

size_t CountNodes(const YamlNode& node) {
  size_t count = 1;
  for (const YamlNode& item : node.items) count += CountNodes(item);
  return count;
}

bool IsPlainNull(const yaml_event_t& event) {
  if (event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE || event.data.scalar.tag != nullptr) {
    return false;
  }
  absl::string_view value(reinterpret_cast<const char*>(event.data.scalar.value),
                          event.data.scalar.length);
  return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

std::string AnchorOf(const yaml_char_t* anchor) {
  return anchor == nullptr ? std::string() : reinterpret_cast<const char*>(anchor);
}

// Builds the tree from libyaml's events, handing nodes at the visit depth
// to the visitor as they complete.
class TreeBuilder {
 public:
  TreeBuilder(absl::string_view source, int visit_depth, YamlVisitor visitor)
      : errors_(source), visit_depth_(visit_depth), visitor_(visitor) {}

  absl::StatusOr<YamlNode> Run(yaml_parser_t* parser) {
    bool document_seen = false;
    while (true) {
      yaml_event_t event;
      if (!yaml_parser_parse(parser, &event)) return SyntaxError(*parser);
      std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> owned(&event, yaml_event_delete);
      const int line = static_cast<int>(event.start_mark.line) + 1;
      switch (event.type) {
        case YAML_STREAM_END_EVENT:
          return std::move(root_);
        case YAML_DOCUMENT_START_EVENT:
          // Only the first document is the inventory.
          if (document_seen) return std::move(root_);
          document_seen = true;
          break;
        case YAML_SCALAR_EVENT: {
          YamlNode node;
          node.line = line;
          if (!IsPlainNull(event)) {
            node.kind = YamlNode::Kind::kScalar;
            node.scalar.assign(reinterpret_cast<const char*>(event.data.scalar.value),
                               event.data.scalar.length);
            absl::string_view tag = event.data.scalar.tag == nullptr
                                        ? absl::string_view()
                                        : reinterpret_cast<const char*>(event.data.scalar.tag);
            node.vault = tag == "!vault";
            node.unsafe = tag == "!unsafe";
          }
          if (absl::Status done = Complete(std::move(node), AnchorOf(event.data.scalar.anchor));
              !done.ok()) {
            return done;
          }
          break;
        }
        case YAML_ALIAS_EVENT: {
          auto anchored = anchors_.find(AnchorOf(event.data.alias.anchor));
          if (anchored == anchors_.end()) {
            return Error(line, absl::StrCat("alias *", AnchorOf(event.data.alias.anchor),
                                            " names no anchor before it"));
          }
          alias_nodes_ += CountNodes(anchored->second);
          if (alias_nodes_ > kMaxAliasNodes) {
            return Error(line, "aliases expand to over a million nodes");
          }
          YamlNode copy = anchored->second;
          copy.line = line;
          if (absl::Status done = Complete(std::move(copy), ""); !done.ok()) return done;
          break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
          Frame frame;
          frame.node.line = line;
          bool map = event.type == YAML_MAPPING_START_EVENT;
          frame.node.kind = map ? YamlNode::Kind::kMap : YamlNode::Kind::kSequence;
          frame.anchor = AnchorOf(map ? event.data.mapping_start.anchor
                                      : event.data.sequence_start.anchor);
          stack_.push_back(std::move(frame));
          break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
          Frame frame = std::move(stack_.back());
          stack_.pop_back();
          if (frame.node.IsMap()) {
            if (absl::Status merged = ApplyMergeKeys(frame.node); !merged.ok()) return merged;
          }
          if (absl::Status done = Complete(std::move(frame.node), frame.anchor); !done.ok()) {
            return done;
          }
          break;
        }
        default:
          break;
      }
    }
  }

 private:
  struct Frame {
    YamlNode node;
    std::string anchor;
    size_t count = 0;  // values seen, dropped ones included (list indexes)
    // key -> line, for duplicates, once a mapping is large (a Nornir
    // hosts.yaml) or a visitor took a value: then it holds every key; a
    // device's few keys are searched in its items instead.
    absl::flat_hash_map<std::string, int> keys;

    // The line `key` was first given on, 0 if it was not.
    int KeyLine(const std::string& key) const {
      if (keys.empty()) {
        for (size_t i = 0; i < node.items.size(); i += 2) {
          if (node.items[i].scalar == key) return node.items[i].line;
        }
        return 0;
      }
      auto it = keys.find(key);
      return it == keys.end() ? 0 : it->second;
    }

    // After a key is added to the items, or before one leaves them.
    void IndexKeys(bool leaving) {
      constexpr size_t kIndexFrom = 32;
      if (keys.empty() && (leaving || node.items.size() / 2 >= kIndexFrom)) {
        for (size_t i = 0; i < node.items.size(); i += 2) {
          keys.emplace(node.items[i].scalar, node.items[i].line);
        }
      } else if (!keys.empty() && !leaving) {
        keys.emplace(node.items.back().scalar, node.items.back().line);
      }
    }
  };

  absl::Status Error(int line, absl::string_view what) const {
    return errors_.AtLine(line, "", what);
  }

  absl::Status SyntaxError(const yaml_parser_t& parser) const {
    const yaml_mark_t& mark = parser.problem != nullptr ? parser.problem_mark : parser.mark;
    return Error(static_cast<int>(mark.line) + 1,
                 absl::StrCat("not valid YAML: ",
                              parser.problem != nullptr ? parser.problem : "unreadable",
                              parser.context != nullptr ? absl::StrCat(" (", parser.context, ")")
                                                        : ""));
  }

  // `node` is complete: it becomes the root, a key, or a value of its parent.
  absl::Status Complete(YamlNode node, const std::string& anchor) {
    if (!anchor.empty()) anchors_[anchor] = node;
    if (stack_.empty()) {
      root_ = std::move(node);
      return absl::OkStatus();
    }
    Frame& parent = stack_.back();
    bool is_key = parent.node.IsMap() && parent.node.items.size() % 2 == 0;
    if (is_key) {
      if (!node.IsScalar() && !node.IsNull()) {
        return Error(node.line, "a mapping key must be a single value");
      }
      if (int first = parent.KeyLine(node.scalar); first > 0 && node.scalar != "<<") {
        return errors_.AtLine(
            node.line, node.scalar,
            absl::StrCat("given twice in one mapping (first at line ", first, ")"));
      }
      parent.node.items.push_back(std::move(node));
      parent.IndexKeys(false);
      return absl::OkStatus();
    }
    int depth = static_cast<int>(stack_.size());
    ++parent.count;
    // A node inside a (complex) key is no value to visit: the key is
    // refused when it ends.
    bool in_key = false;
    for (const Frame& frame : stack_) in_key = in_key || (frame.node.IsMap() && frame.node.items.size() % 2 == 0);
    if (depth <= visit_depth_ && !in_key) {
      std::vector<std::string> path;
      for (size_t i = 0; i < stack_.size(); ++i) {
        const Frame& frame = stack_[i];
        // The parent has counted this node already; an ancestor has not
        // counted the one in progress.
        size_t index = frame.count - (i + 1 == stack_.size() ? 1 : 0);
        path.push_back(frame.node.IsMap() ? frame.node.items.back().scalar
                                          : std::to_string(index));
      }
      absl::StatusOr<YamlVisit> visit =
          visitor_(path, parent.node.IsMap() ? &parent.node.items.back() : nullptr, node);
      if (!visit.ok()) return visit.status();
      if (*visit == YamlVisit::kDrop) {
        if (parent.node.IsMap()) {
          parent.IndexKeys(true);  // its key stays known, for duplicates
          parent.node.items.pop_back();
        }
        return absl::OkStatus();
      }
    }
    parent.node.items.push_back(std::move(node));
    return absl::OkStatus();
  }

  // `<<: *base` (or a list of them): the base's fields the mapping lacks.
  absl::Status ApplyMergeKeys(YamlNode& map) {
    bool merges = false;
    for (size_t i = 0; i + 1 < map.items.size() && !merges; i += 2) {
      merges = map.items[i].IsScalar() && map.items[i].scalar == "<<";
    }
    if (!merges) return absl::OkStatus();
    std::vector<YamlNode> bases;
    std::vector<YamlNode> kept;
    for (size_t i = 0; i + 1 < map.items.size(); i += 2) {
      if (map.items[i].IsScalar() && map.items[i].scalar == "<<") {
        YamlNode& value = map.items[i + 1];
        if (value.IsMap()) {
          bases.push_back(std::move(value));
        } else if (value.IsSequence()) {
          for (YamlNode& base : value.items) bases.push_back(std::move(base));
        }
        continue;
      }
      kept.push_back(std::move(map.items[i]));
      kept.push_back(std::move(map.items[i + 1]));
    }
    for (YamlNode& base : bases) {
      if (!base.IsMap()) return Error(base.line, "'<<' merges mappings only");
      for (size_t i = 0; i + 1 < base.items.size(); i += 2) {
        bool present = false;
        for (size_t k = 0; k < kept.size() && !present; k += 2) {
          present = kept[k].scalar == base.items[i].scalar;
        }
        if (present) continue;
        kept.push_back(base.items[i]);
        kept.push_back(base.items[i + 1]);
      }
    }
    map.items = std::move(kept);
    return absl::OkStatus();
  }

  YamlErrors errors_;
  int visit_depth_;
  YamlVisitor visitor_;
  std::vector<Frame> stack_;
  YamlNode root_;
  absl::flat_hash_map<std::string, YamlNode> anchors_;
  size_t alias_nodes_ = 0;
};

absl::StatusOr<YamlVisit> KeepAll(const std::vector<std::string>&, const YamlNode*, YamlNode&) {
  return YamlVisit::kKeep;
}

struct ParserDeleter {
  void operator()(yaml_parser_t* parser) const {
    yaml_parser_delete(parser);
    delete parser;
  }
};
using ParserPtr = std::unique_ptr<yaml_parser_t, ParserDeleter>;

ParserPtr NewParser() {
  auto* parser = new yaml_parser_t;
  yaml_parser_initialize(parser);
  return ParserPtr(parser);
}

}  // namespace

const YamlNode* YamlNode::Find(absl::string_view key) const {
  if (!IsMap()) return nullptr;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].scalar == key) return &items[i + 1];
  }
  return nullptr;
}

absl::string_view YamlNode::KindName() const {
  switch (kind) {
    case Kind::kNull: return "empty";
    case Kind::kScalar: return "a single value";
    case Kind::kMap: return "a mapping";
    case Kind::kSequence: return "a list";
  }
  return "";
}

absl::StatusOr<YamlNode> ReadYamlFile(const std::string& path, int visit_depth,
                                      YamlVisitor visitor) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (file == nullptr) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  ParserPtr parser = NewParser();
  yaml_parser_set_input_file(parser.get(), file.get());
  return TreeBuilder(path, visit_depth, visitor).Run(parser.get());
}

absl::StatusOr<YamlNode> ReadYamlText(absl::string_view text, absl::string_view source,
                                      int visit_depth, YamlVisitor visitor) {
  ParserPtr parser = NewParser();
  yaml_parser_set_input_string(parser.get(), reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  return TreeBuilder(source, visit_depth, visitor).Run(parser.get());
}

absl::StatusOr<YamlNode> ReadYaml(const std::string& path, const std::optional<std::string>& text,
                                  int visit_depth, YamlVisitor visitor) {
  return text ? ReadYamlText(*text, path, visit_depth, visitor)
              : ReadYamlFile(path, visit_depth, visitor);
}

absl::StatusOr<YamlNode> ReadYamlFile(const std::string& path) {
  return ReadYamlFile(path, -1, KeepAll);
}

absl::StatusOr<YamlNode> ReadYamlText(absl::string_view text, absl::string_view source) {
  return ReadYamlText(text, source, -1, KeepAll);
}

}  // namespace netshard
