#include "common/inventory/yaml_tree.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace netshard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string ErrorOf(const std::string& yaml) {
  absl::StatusOr<YamlNode> root = ReadYamlText(yaml, "f.yaml");
  EXPECT_FALSE(root.ok()) << yaml;
  return root.ok() ? "" : std::string(root.status().message());
}

TEST(YamlTreeTest, ReadsMappingsListsScalarsNullsAndLines) {
  absl::StatusOr<YamlNode> root = ReadYamlText(
      "a: 1\nb:\n- x\n- 'y'\nc: ~\nd:\ne: {f: \"g\"}\n", "f.yaml");
  ASSERT_TRUE(root.ok()) << root.status();
  ASSERT_TRUE(root->IsMap());
  EXPECT_EQ(root->Find("a")->scalar, "1");
  EXPECT_EQ(root->Find("a")->line, 1);
  ASSERT_TRUE(root->Find("b")->IsSequence());
  EXPECT_EQ(root->Find("b")->items[1].scalar, "y");
  EXPECT_EQ(root->Find("b")->items[1].line, 4);
  EXPECT_TRUE(root->Find("c")->IsNull());
  EXPECT_TRUE(root->Find("d")->IsNull());
  EXPECT_EQ(root->Find("e")->Find("f")->scalar, "g");
  EXPECT_EQ(root->Find("missing"), nullptr);
  // A quoted "null" is text, not null.
  EXPECT_TRUE(ReadYamlText("a: 'null'\n", "f")->Find("a")->IsScalar());
}

TEST(YamlTreeTest, AKeyGivenTwiceNamesBothLines) {
  EXPECT_THAT(ErrorOf("r:\n- ip: 1\n  device_type: a\n  device_type: b\n"),
              HasSubstr("f.yaml:4: field 'device_type': given twice in one mapping (first at line 3)"));
  // Also in a mapping large enough to be indexed, and after a visitor took
  // the first value.
  std::string big;
  for (int i = 0; i < 40; ++i) absl::StrAppend(&big, "k", i, ": v\n");
  EXPECT_THAT(ErrorOf(big + "k7: again\n"), HasSubstr("f.yaml:41: field 'k7': given twice"));
  auto drop = [](const std::vector<std::string>&, const YamlNode*,
                 YamlNode&) -> absl::StatusOr<YamlVisit> {
    return YamlVisit::kDrop;
  };
  absl::StatusOr<YamlNode> dropped = ReadYamlText("h1: {a: 1}\nh2: {}\nh1: {}\n", "f", 1, drop);
  ASSERT_FALSE(dropped.ok());
  EXPECT_THAT(dropped.status().message(), HasSubstr("f:3: field 'h1': given twice"));
}

TEST(YamlTreeTest, VisitsNodesAsTheyEndAndDropsThem) {
  std::vector<std::string> seen;
  auto visit = [&](const std::vector<std::string>& path, const YamlNode* key,
                   YamlNode& node) -> absl::StatusOr<YamlVisit> {
    std::string where;
    for (const std::string& step : path) where += "/" + step;
    bool in_list = key == nullptr;
    if (!in_list) {
      EXPECT_EQ(key->scalar, path.back());
    }
    seen.push_back(where + (in_list ? "[]" : "") + "=" + node.scalar);
    return path.size() == 2 && in_list ? YamlVisit::kDrop : YamlVisit::kKeep;
  };
  absl::StatusOr<YamlNode> root =
      ReadYamlText("defaults: {u: x}\nr:\n- {ip: a}\n- {ip: b}\ns:\n- {ip: c}\n", "f", 2, visit);
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_THAT(seen, ElementsAre("/defaults/u=x", "/defaults=", "/r/0[]=", "/r/1[]=", "/r=",
                                "/s/0[]=", "/s="));
  // Dropped list items are gone; kept nodes stay.
  EXPECT_TRUE(root->Find("r")->items.empty());
  EXPECT_EQ(root->Find("defaults")->Find("u")->scalar, "x");
}

TEST(YamlTreeTest, AnchorsAliasesAndMergeKeys) {
  absl::StatusOr<YamlNode> root = ReadYamlText(
      "base: &b {username: u, port: 22}\n"
      "r1: {<<: *b, port: 2222}\n"
      "r2: *b\n",
      "f");
  ASSERT_TRUE(root.ok()) << root.status();
  const YamlNode* r1 = root->Find("r1");
  EXPECT_EQ(r1->Find("username")->scalar, "u");
  EXPECT_EQ(r1->Find("port")->scalar, "2222");  // its own wins over the merged
  EXPECT_EQ(r1->Find("<<"), nullptr);
  EXPECT_EQ(root->Find("r2")->Find("port")->scalar, "22");
  EXPECT_THAT(ErrorOf("a: *nowhere\n"), HasSubstr("names no anchor"));
}

TEST(YamlTreeTest, AliasBombsAreRefused) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char name = 'b'; name <= 'i'; ++name) {
    const char previous[] = {static_cast<char>(name - 1), '\0'};
    absl::StrAppend(&bomb, absl::string_view(&name, 1), ": &", absl::string_view(&name, 1), " [");
    for (int i = 0; i < 10; ++i) absl::StrAppend(&bomb, i ? ", *" : "*", previous);
    absl::StrAppend(&bomb, "]\n");
  }
  EXPECT_THAT(ErrorOf(bomb), HasSubstr("aliases expand to over a million nodes"));
}

TEST(YamlTreeTest, VaultTagIsRemembered) {
  absl::StatusOr<YamlNode> root = ReadYamlText(
      "ansible_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\nother: x\n", "f");
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_TRUE(root->Find("ansible_password")->vault);
  EXPECT_FALSE(root->Find("other")->vault);
}

TEST(YamlTreeTest, SyntaxErrorsNameFileAndLine) {
  EXPECT_THAT(ErrorOf("a: 1\nb: [1, 2\nc: 3\n"), HasSubstr("f.yaml:"));
  EXPECT_THAT(ErrorOf("a: 1\nb: [1, 2\nc: 3\n"), HasSubstr("not valid YAML"));
  EXPECT_THAT(ErrorOf("a: 1\n  b: 2\n"), HasSubstr("f.yaml:2: not valid YAML"));
  EXPECT_THAT(ErrorOf("{[a]: 1}\n"), HasSubstr("a mapping key must be a single value"));
  // Found by inventory_fuzzer: a list as a key, visited as if it were a value.
  auto keep = [](const std::vector<std::string>&, const YamlNode*,
                 YamlNode&) -> absl::StatusOr<YamlVisit> { return YamlVisit::kKeep; };
  absl::StatusOr<YamlNode> keyed = ReadYamlText("[a]: 0\n", "f", 2, keep);
  ASSERT_FALSE(keyed.ok());
  EXPECT_THAT(keyed.status().message(), HasSubstr("a mapping key must be a single value"));
  absl::StatusOr<YamlNode> missing = ReadYamlFile("/nonexistent/inventory.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/inventory.yaml: cannot open"));
}

TEST(YamlTreeTest, OnlyTheFirstDocumentIsRead) {
  absl::StatusOr<YamlNode> root = ReadYamlText("---\na: 1\n---\nb: 2\n", "f");
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_NE(root->Find("a"), nullptr);
  EXPECT_EQ(root->Find("b"), nullptr);
}

TEST(YamlTreeTest, HostileInputNeverCrashes) {
  for (const char* text : {"", "\0", "- - - - - -", ":", "? ? ?", "&a *a", "[[[[[[[[[[",
                           "a: !!binary AAAA", "\xff\xfe\x00", "a: |\n", "<<: 1\n"}) {
    absl::StatusOr<YamlNode> root = ReadYamlText(text, "f");
    (void)root;
  }
}

}  // namespace
}  // namespace netshard
