#include "common/textfsm/textfsm_library.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/file_text.h"

namespace netshard {
namespace {

// Python's repr() of a str.
std::string PyRepr(absl::string_view text) {
  char quote = text.find('\'') != absl::string_view::npos && text.find('"') == absl::string_view::npos
                   ? '"'
                   : '\'';
  std::string out(1, quote);
  for (char c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      absl::StrAppend(&out, "\\x", absl::Hex(byte, absl::kZeroPad2));
    } else {
      out += c;
    }
  }
  out += quote;
  return out;
}

// clitable stores every cell through str(): list items become strings —
// None as "None", a nested-group object as Python's repr of the dict.
void Stringify(std::vector<FsmRecord>& records) {
  for (FsmRecord& record : records) {
    for (FsmCell& cell : record) {
      for (FsmCell::Item& item : cell.items) {
        if (item.is_object) {
          std::vector<std::string> fields;
          for (const auto& [name, value] : item.fields) {
            fields.push_back(absl::StrCat(PyRepr(name), ": ", value ? PyRepr(*value) : "None"));
          }
          item.text = absl::StrCat("{", absl::StrJoin(fields, ", "), "}");
          item.fields.clear();
          item.is_object = false;
        } else if (!item.text) {
          item.text = "None";
        }
      }
    }
  }
}

}  // namespace

absl::StatusOr<FsmTable> ParseWithTemplates(const std::vector<const TextFsm*>& templates,
                                            absl::string_view output) {
  FsmTable table;
  std::vector<std::string> keys;
  for (size_t t = 0; t < templates.size(); ++t) {
    const TextFsm& fsm = *templates[t];
    absl::StatusOr<std::vector<FsmRecord>> records = fsm.ParseText(output);
    if (!records.ok()) return records.status();
    Stringify(*records);
    if (keys.empty()) keys = fsm.keys();  // the first template with Keys sets them
    if (t == 0) {
      table.header = fsm.header();
      table.records = *std::move(records);
      continue;
    }
    auto column = [](const std::vector<std::string>& header, const std::string& name) {
      return static_cast<int>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    std::vector<std::pair<int, int>> added;  // (column here, column there)
    for (size_t c = 0; c < fsm.header().size(); ++c) {
      if (column(table.header, fsm.header()[c]) == static_cast<int>(table.header.size())) {
        added.emplace_back(static_cast<int>(table.header.size() + added.size()), c);
      }
    }
    for (const std::string& key : keys) {
      if (column(table.header, key) == static_cast<int>(table.header.size())) {
        return absl::InvalidArgumentError(
            absl::StrCat(fsm.source(), ": Key '", key, "' is not a column of the first template"));
      }
    }
    if (added.empty()) continue;
    for (const auto& [here, there] : added) table.header.push_back(fsm.header()[there]);
    FsmCell blank;
    blank.kind = FsmCell::Kind::kText;
    for (FsmRecord& row : table.records) row.resize(table.header.size(), blank);
    for (size_t r = 0; r < table.records.size(); ++r) {
      const FsmRecord* from = nullptr;
      if (keys.empty()) {
        if (r < records->size()) from = &(*records)[r];
      } else {
        for (const FsmRecord& other : *records) {
          bool same = std::all_of(keys.begin(), keys.end(), [&](const std::string& key) {
            return table.records[r][column(table.header, key)] ==
                   other[column(fsm.header(), key)];
          });
          if (same) {
            from = &other;
            break;
          }
        }
      }
      if (from == nullptr) continue;
      for (const auto& [here, there] : added) table.records[r][here] = (*from)[there];
    }
  }
  return table;
}

absl::StatusOr<std::unique_ptr<TemplateLibrary>> TemplateLibrary::Open(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<TemplateIndex>> index = TemplateIndex::Load(dir);
  if (!index.ok()) return index.status();
  return std::unique_ptr<TemplateLibrary>(new TemplateLibrary(dir, *std::move(index)));
}

absl::StatusOr<const TextFsm*> TemplateLibrary::Template(const std::string& file) {
  MutexLock lock(&mu_);
  auto it = loaded_.find(file);
  if (it == loaded_.end()) {
    std::string path = dir_ + "/" + file;
    std::optional<std::string> text = ReadFileText(path);
    absl::StatusOr<std::unique_ptr<TextFsm>> fsm =
        text ? TextFsm::Parse(*text, path)
             : absl::StatusOr<std::unique_ptr<TextFsm>>(
                   absl::NotFoundError(absl::StrCat(path, ": cannot read the template")));
    it = loaded_.emplace(file, std::move(fsm)).first;
  }
  if (!it->second.ok()) return it->second.status();
  return it->second->get();
}

absl::StatusOr<FsmTable> TemplateLibrary::Parse(absl::string_view platform,
                                                absl::string_view command,
                                                absl::string_view output) {
  std::optional<std::string> templates = index_->Find(platform, command);
  if (!templates) {
    return absl::NotFoundError(absl::StrCat("no template in ", dir_, "/index for platform '",
                                            platform, "' and command '", command, "'"));
  }
  std::vector<const TextFsm*> fsms;
  for (absl::string_view file : absl::StrSplit(*templates, ':')) {
    absl::StatusOr<const TextFsm*> fsm = Template(std::string(file));
    if (!fsm.ok()) return fsm.status();
    fsms.push_back(*fsm);
  }
  absl::StatusOr<FsmTable> table = ParseWithTemplates(fsms, output);
  if (table.ok()) table->templates = *templates;
  return table;
}

}  // namespace netshard
