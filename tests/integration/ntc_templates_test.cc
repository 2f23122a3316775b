// Conformance: every ntc-templates fixture (../shared/ntc-templates/tests:
// PLATFORM/COMMAND_DIR/NAME.raw with its NAME.yml parsed_sample) through
// netshard's TextFSM with the template the index picks, compared with the
// expected records — and with what the reference, Google's textfsm
// (python3-textfsm), makes of the same fixtures: every fixture the reference
// gets right, we must get right.
#include <filesystem>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/textfsm/textfsm.h"
#include "common/textfsm/textfsm_library.h"
#include "gtest/gtest.h"
#include "tests/testing/subprocess.h"
#include "yaml-cpp/yaml.h"

namespace netshard {
namespace {

namespace fs = std::filesystem;

// Records in one canonical text, so ours and the YAML compare as Python's
// == does: lists in order, objects whatever their key order.
std::string Canonical(const YAML::Node& node) {
  if (node.IsNull()) return "~";
  if (node.IsScalar()) return absl::StrCat("'", node.Scalar(), "'");
  if (node.IsSequence()) {
    std::vector<std::string> items;
    for (const YAML::Node& item : node) items.push_back(Canonical(item));
    return absl::StrCat("[", absl::StrJoin(items, ","), "]");
  }
  std::map<std::string, std::string> fields;
  for (const auto& field : node) fields[field.first.Scalar()] = Canonical(field.second);
  std::vector<std::string> parts;
  for (const auto& [key, value] : fields) parts.push_back(absl::StrCat(key, ":", value));
  return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Canonical(const std::vector<std::string>& header, const std::vector<FsmRecord>& records) {
  std::vector<std::string> rows;
  for (const FsmRecord& record : records) {
    std::map<std::string, std::string> fields;
    for (size_t i = 0; i < header.size(); ++i) {
      const FsmCell& cell = record[i];
      std::string value = absl::StrCat("'", cell.text, "'");
      if (cell.kind == FsmCell::Kind::kList) {
        std::vector<std::string> items;
        for (const FsmCell::Item& item : cell.items) {
          if (!item.is_object) {
            items.push_back(item.text ? absl::StrCat("'", *item.text, "'") : "~");
            continue;
          }
          std::map<std::string, std::string> object;
          for (const auto& [name, text] : item.fields) object[name] = text ? absl::StrCat("'", *text, "'") : "~";
          std::vector<std::string> parts;
          for (const auto& [name, text] : object) parts.push_back(absl::StrCat(name, ":", text));
          items.push_back(absl::StrCat("{", absl::StrJoin(parts, ","), "}"));
        }
        value = absl::StrCat("[", absl::StrJoin(items, ","), "]");
      }
      fields[Lower(header[i])] = value;
    }
    std::vector<std::string> parts;
    for (const auto& [key, value] : fields) parts.push_back(absl::StrCat(key, ":", value));
    rows.push_back(absl::StrCat("{", absl::StrJoin(parts, ","), "}"));
  }
  return absl::StrCat("[", absl::StrJoin(rows, ","), "]");
}

TEST(NtcTemplatesTest, EveryFixtureTheReferenceParsesRightWeParseRight) {
  const std::string root = testing::SourceDir() + "/../shared/ntc-templates";
  if (!fs::exists(root + "/templates/index")) {
    GTEST_SKIP() << "no ntc-templates copy at " << root;
  }
  const std::string templates = root + "/templates";
  const std::string tests = root + "/tests";

  // The reference's verdict on each fixture.
  std::string dir = testing::MakeTempDir();
  auto reference = testing::Subprocess::Start(
      {"/usr/bin/python3", testing::SourceDir() + "/tests/integration/textfsm_reference.py",
       templates, tests, dir + "/reference.json"},
      dir + "/reference.out", dir + "/reference.err");
  ASSERT_TRUE(reference.ok()) << reference.status();
  ASSERT_EQ(*(*reference)->Wait(absl::Minutes(5)), 0)
      << "python3-textfsm reference failed (deploy/install-deps.sh installs it): "
      << testing::ReadFile(dir + "/reference.err");
  YAML::Node verdicts = YAML::LoadFile(dir + "/reference.json");
  fs::remove_all(dir);

  auto library = TemplateLibrary::Open(templates);
  ASSERT_TRUE(library.ok()) << library.status();
  int fixtures = 0, reference_ok = 0, ours_ok = 0, ours_only = 0;
  std::vector<std::string> mismatches;
  for (const auto& entry : fs::recursive_directory_iterator(tests)) {
    if (entry.path().extension() != ".raw") continue;
    fs::path relative = fs::relative(entry.path(), tests);
    std::vector<std::string> parts;
    for (const auto& part : relative) parts.push_back(part.string());
    fs::path yml = fs::path(entry.path()).replace_extension(".yml");
    if (parts.size() != 3 || !fs::exists(yml)) continue;
    ++fixtures;
    bool reference_right = verdicts[relative.string()] &&
                           verdicts[relative.string()].as<std::string>() == "ok";
    reference_ok += reference_right;
    std::string command = absl::StrReplaceAll(parts[1], {{"_", " "}});
    std::string why;
    absl::StatusOr<FsmTable> table =
        (*library)->Parse(parts[0], command, testing::ReadFile(entry.path().string()));
    YAML::Node expected = YAML::LoadFile(yml.string())["parsed_sample"];
    if (!table.ok()) {
      why = std::string(table.status().message());
    } else if (std::string ours = Canonical(table->header, table->records),
               want = expected ? Canonical(expected) : "[]";
               ours != want) {
      size_t at = 0;
      while (at < ours.size() && at < want.size() && ours[at] == want[at]) ++at;
      at = at > 100 ? at - 100 : 0;
      why = absl::StrCat("records differ from parsed_sample, from character ", at, ":\n  ours: ",
                         ours.substr(at, 300), "\n  want: ", want.substr(at, 300));
    }
    if (why.empty()) {
      ++ours_ok;
      ours_only += !reference_right;
    } else if (reference_right) {
      mismatches.push_back(absl::StrCat(relative.string(), ": ", why));
    }
  }
  std::cout << "ntc-templates conformance: " << fixtures << " fixtures; reference right on "
            << reference_ok << ", netshard right on " << ours_ok << " (" << ours_only
            << " the reference gets wrong)\n";
  EXPECT_GT(fixtures, 1000);
  EXPECT_EQ(mismatches.size(), 0u) << absl::StrJoin(mismatches.begin(),
                                                    mismatches.begin() + std::min<size_t>(
                                                        mismatches.size(), 25), "\n");
}

}  // namespace
}  // namespace netshard
