#include "common/textfsm/textfsm.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"

namespace netshard {

bool FsmCell::truthy() const {
  switch (kind) {
    case Kind::kNone:
      return false;
    case Kind::kText:
      return !text.empty();
    case Kind::kList:
      return !items.empty();
  }
  return false;
}

bool FsmCell::operator==(const FsmCell& other) const {
  auto same_items = [](const std::vector<Item>& a, const std::vector<Item>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_object != b[i].is_object || a[i].text != b[i].text ||
          a[i].fields != b[i].fields) {
        return false;
      }
    }
    return true;
  };
  return kind == other.kind && text == other.text && same_items(items, other.items);
}

namespace {

enum class Option { kRequired, kFilldown, kFillup, kKey, kList };

std::optional<Option> OptionNamed(absl::string_view name) {
  static const auto* options = new std::map<std::string, Option, std::less<>>{
      {"Required", Option::kRequired}, {"Filldown", Option::kFilldown},
      {"Fillup", Option::kFillup},     {"Key", Option::kKey},
      {"List", Option::kList}};
  auto it = options->find(name);
  if (it == options->end()) return std::nullopt;
  return it->second;
}

constexpr size_t kMaxNameLength = 48;
// Value groups in rule regexes get short names of ours: PCRE2 allows 32
// characters, TextFSM 48.
constexpr char kGroupPrefix[] = "nsv";

// Python's str.strip()/rstrip() whitespace (ASCII part, and what templates use).
bool IsPythonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
         (c >= '\x1c' && c <= '\x1f');
}

absl::string_view RStrip(absl::string_view s) {
  while (!s.empty() && IsPythonSpace(s.back())) s.remove_suffix(1);
  return s;
}

absl::string_view Strip(absl::string_view s) {
  s = RStrip(s);
  while (!s.empty() && IsPythonSpace(s.front())) s.remove_prefix(1);
  return s;
}

bool IsComment(absl::string_view line) {
  size_t at = 0;
  while (at < line.size() && IsPythonSpace(line[at])) ++at;
  return at < line.size() && line[at] == '#';
}

bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

bool IsStateName(absl::string_view line) {
  if (line.empty()) return false;
  for (char c : line) {
    if (!IsWordChar(c) && static_cast<unsigned char>(c) < 0x80) return false;
  }
  return true;
}

// A template file's lines as Python reads a text file: \n, \r\n or \r.
std::vector<absl::string_view> TemplateLines(absl::string_view text) {
  std::vector<absl::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

constexpr int kNoState = -1;
constexpr int kEndState = -2;
constexpr int kEofState = -3;

}  // namespace

struct TextFsm::Value {
  std::string name;
  std::string regex;
  std::vector<Option> options;
  std::unique_ptr<PythonRegex> list_regex;  // List values: to split nested groups
  bool Has(Option option) const {
    return std::find(options.begin(), options.end(), option) != options.end();
  }
};

struct TextFsm::Rule {
  int line = 0;
  std::unique_ptr<PythonRegex> regex;
  std::vector<std::pair<int, int>> assigns;  // (group number, value index), by group
  enum class LineOp { kNext, kContinue, kError } line_op = LineOp::kNext;
  enum class RecordOp { kNoRecord, kRecord, kClear, kClearall } record_op = RecordOp::kNoRecord;
  std::string new_state;  // the name, or Error's message
  int next = kNoState;
};

struct TextFsm::State {
  std::string name;
  std::vector<Rule> rules;
};

namespace {

// The three forms of a rule's action, as TextFSM's own regexes say them.
struct ActionForms {
  std::unique_ptr<PythonRegex> full, record, state;
};

const ActionForms& Actions() {
  static const ActionForms* forms = [] {
    const std::string ln_op = "(?P<ln_op>Continue|Next|Error)";
    const std::string rec_op = "(?P<rec_op>Clear|Clearall|Record|NoRecord)";
    const std::string new_state = R"((?P<new_state>\w+|\".*\"))";
    auto* f = new ActionForms;
    f->full = *PythonRegex::Compile(
        absl::StrCat(R"(\s+()", ln_op, R"((\.)", rec_op, R"()?)(\s+)", new_state, ")?$"));
    f->record = *PythonRegex::Compile(absl::StrCat(R"(\s+)", rec_op, R"((\s+)", new_state, ")?$"));
    f->state = *PythonRegex::Compile(absl::StrCat(R"((\s+)", new_state, ")?$"));
    return f;
  }();
  return *forms;
}

// The group of `regex` named `name`, as text, if it took part.
std::optional<std::string> Group(const PythonRegex& regex,
                                 const std::vector<std::optional<absl::string_view>>& groups,
                                 absl::string_view name) {
  for (const auto& [group, number] : regex.named_groups()) {
    if (group == name && groups[number]) return std::string(*groups[number]);
  }
  return std::nullopt;
}

}  // namespace

TextFsm::~TextFsm() = default;

std::vector<std::string> TextFsm::keys() const {
  std::vector<std::string> keys;
  for (const auto& value : values_) {
    if (value->Has(Option::kKey)) keys.push_back(value->name);
  }
  return keys;
}

// One template, read section by section: the Values, then each state and
// its rules (a rule's regex, then its action), then the transitions linked.
class TextFsm::Builder {
 public:
  Builder(absl::string_view text, absl::string_view source)
      : fsm_(new TextFsm), lines_(TemplateLines(text)), empty_(text.empty()) {
    fsm_->source_ = std::string(source);
  }

  absl::StatusOr<std::unique_ptr<TextFsm>> Build() {
    if (empty_) return Error(0, "null template");
    RETURN_IF_ERROR(ReadValues());
    RETURN_IF_ERROR(ReadStates());
    RETURN_IF_ERROR(Link());
    return std::move(fsm_);
  }

 private:
  absl::Status Error(int line, absl::string_view message) const {
    return absl::InvalidArgumentError(absl::StrCat(fsm_->source_, ":", line, ": ", message));
  }

  // The next line and its number; false past the end.
  bool NextLine(absl::string_view* line, int* number) {
    if (at_ >= lines_.size()) return false;
    *number = static_cast<int>(++at_);
    *line = RStrip(lines_[at_ - 1]);
    return true;
  }

  // Values, up to the first blank line.
  absl::Status ReadValues() {
    absl::string_view line;
    int number = 0;
    while (NextLine(&line, &number)) {
      if (line.empty()) break;
      if (IsComment(line)) continue;
      if (!absl::StartsWith(line, "Value ")) {
        return Error(number, fsm_->values_.empty()
                                 ? "no Value definitions found"
                                 : "expected a blank line after the last Value");
      }
      RETURN_IF_ERROR(ReadValue(line, number));
    }
    return absl::OkStatus();
  }

  // "Value [Option,...] NAME (regex)".
  absl::Status ReadValue(absl::string_view line, int number) {
    std::vector<absl::string_view> tokens = absl::StrSplit(line, ' ');
    if (tokens.size() < 3) return Error(number, "a Value needs at least 3 tokens");
    auto value = std::make_unique<Value>();
    size_t regex_from = 2;
    if (!absl::StartsWith(tokens[2], "(")) {
      for (absl::string_view name : absl::StrSplit(tokens[1], ',')) {
        std::optional<Option> option = OptionNamed(name);
        if (!option) return Error(number, absl::StrCat("unknown option \"", name, "\""));
        if (value->Has(*option)) {
          return Error(number, absl::StrCat("duplicate option \"", name, "\""));
        }
        value->options.push_back(*option);
      }
      value->name = std::string(tokens[2]);
      regex_from = 3;
    } else {
      value->name = std::string(tokens[1]);
    }
    value->regex = absl::StrJoin(tokens.begin() + regex_from, tokens.end(), " ");
    if (value->name.size() > kMaxNameLength) {
      return Error(number, absl::StrCat("invalid Value name '", value->name, "' or name too long"));
    }
    if (value->regex.size() < 2 || value->regex.front() != '(' || value->regex.back() != ')' ||
        std::count(value->regex.begin(), value->regex.end(), '(') !=
            std::count(value->regex.begin(), value->regex.end(), ')')) {
      return Error(number,
                   absl::StrCat("Value '", value->regex, "' must be contained within a '()' pair"));
    }
    if (group_of_.count(value->name) != 0) {
      return Error(number, absl::StrCat("duplicate declarations for Value '", value->name, "'"));
    }
    if (value->Has(Option::kList)) {
      absl::StatusOr<std::unique_ptr<PythonRegex>> compiled = PythonRegex::Compile(value->regex);
      if (!compiled.ok()) return Error(number, compiled.status().message());
      value->list_regex = *std::move(compiled);
    }
    group_of_[value->name] = absl::StrCat("(?P<", kGroupPrefix, fsm_->values_.size(), ">",
                                          value->regex.substr(1));
    fsm_->header_.push_back(value->name);
    fsm_->values_.push_back(std::move(value));
    return absl::OkStatus();
  }

  // States: a name, its rules, a blank line.
  absl::Status ReadStates() {
    while (at_ < lines_.size()) {
      std::string name;
      RETURN_IF_ERROR(ReadStateName(&name));
      if (name.empty()) break;
      auto state = std::make_unique<State>();
      state->name = name;
      absl::string_view raw;
      int number = 0;
      while (NextLine(&raw, &number)) {
        if (raw.empty()) break;
        if (IsComment(raw)) continue;
        absl::StatusOr<Rule> rule = ReadRule(raw, number);
        if (!rule.ok()) return rule.status();
        state->rules.push_back(*std::move(rule));
      }
      if ((name == "End" || name == "EOF") && !state->rules.empty()) {
        return Error(state->rules.front().line, absl::StrCat("non-empty '", name, "' state"));
      }
      if (name == "EOF") fsm_->has_eof_state_ = true;
      state_index_[name] = static_cast<int>(fsm_->states_.size());
      fsm_->states_.push_back(std::move(state));
    }
    return absl::OkStatus();
  }

  // The next state's name, past blank lines and comments ("" at the end).
  absl::Status ReadStateName(std::string* name) {
    absl::string_view line;
    int number = 0;
    while (NextLine(&line, &number)) {
      if (line.empty() || IsComment(line)) continue;
      if (!IsStateName(line) || line.size() > kMaxNameLength || line == "Continue" ||
          line == "Next" || line == "Error" || line == "Clear" || line == "Clearall" ||
          line == "Record" || line == "NoRecord") {
        return Error(number, absl::StrCat("invalid state name: '", line, "'"));
      }
      if (state_index_.count(std::string(line)) != 0) {
        return Error(number, absl::StrCat("duplicate state name: '", line, "'"));
      }
      *name = std::string(line);
      return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  // "  ^regex -> Action".
  absl::StatusOr<Rule> ReadRule(absl::string_view raw, int number) {
    if (!absl::StartsWith(raw, " ^") && !absl::StartsWith(raw, "  ^") &&
        !absl::StartsWith(raw, "\t^")) {
      return Error(number, "missing white space or caret ('^') before rule");
    }
    Rule rule;
    rule.line = number;
    absl::string_view line = Strip(raw);
    // The last "->" after a blank splits the regex from the action.
    absl::string_view match = line;
    std::optional<absl::string_view> action;
    for (size_t arrow = line.rfind("->"); arrow != absl::string_view::npos && arrow > 0;
         arrow = line.rfind("->", arrow - 1)) {
      if (IsPythonSpace(line[arrow - 1])) {
        match = line.substr(0, arrow - 1);
        action = line.substr(arrow + 2);
        break;
      }
    }
    absl::StatusOr<std::string> regex = Substitute(match, number);
    if (!regex.ok()) return regex.status();
    absl::StatusOr<std::unique_ptr<PythonRegex>> compiled = PythonRegex::Compile(*regex);
    if (!compiled.ok()) return Error(number, compiled.status().message());
    rule.regex = *std::move(compiled);
    AssignGroups(&rule);
    if (action) RETURN_IF_ERROR(ReadAction(*action, line, number, &rule));
    return rule;
  }

  // string.Template: $$ is $, $NAME and ${NAME} are the Value's group.
  absl::StatusOr<std::string> Substitute(absl::string_view match, int number) const {
    std::string regex;
    std::vector<std::string> used;
    auto identifier = [&](size_t from) {
      size_t end = from;
      if (end < match.size() && (absl::ascii_isalpha(match[end]) || match[end] == '_')) {
        while (end < match.size() && IsWordChar(match[end])) ++end;
      }
      return end;
    };
    for (size_t i = 0; i < match.size(); ++i) {
      if (match[i] != '$') {
        regex += match[i];
        continue;
      }
      std::string var;
      if (i + 1 < match.size() && match[i + 1] == '$') {
        regex += '$';
        ++i;
        continue;
      } else if (size_t end = identifier(i + 1); end > i + 1) {
        var = std::string(match.substr(i + 1, end - i - 1));
        i = end - 1;
      } else if (i + 1 < match.size() && match[i + 1] == '{' &&
                 (end = identifier(i + 2)) > i + 2 && end < match.size() && match[end] == '}') {
        var = std::string(match.substr(i + 2, end - i - 2));
        i = end;
      } else {
        return Error(number, absl::StrCat("invalid variable substitution: '", match, "'"));
      }
      auto found = group_of_.find(var);
      if (found == group_of_.end()) {
        return Error(number, absl::StrCat("unknown Value '", var, "' in '", match, "'"));
      }
      if (std::find(used.begin(), used.end(), var) != used.end()) {
        return Error(number, absl::StrCat("Value '", var, "' used twice in '", match, "'"));
      }
      used.push_back(var);
      regex += found->second;
    }
    return regex;
  }

  // Which Value each named group of the rule's regex fills: ours by number,
  // or a group the template names itself, as a Value is named.
  void AssignGroups(Rule* rule) const {
    for (const auto& [group, group_number] : rule->regex->named_groups()) {
      int value = -1;
      absl::string_view rest = group;
      if (absl::ConsumePrefix(&rest, kGroupPrefix) && absl::SimpleAtoi(rest, &value) &&
          value >= 0 && value < static_cast<int>(fsm_->values_.size())) {
      } else {
        auto header = std::find(fsm_->header_.begin(), fsm_->header_.end(), group);
        value = header == fsm_->header_.end() ? -1
                                              : static_cast<int>(header - fsm_->header_.begin());
      }
      if (value >= 0) rule->assigns.emplace_back(group_number, value);
    }
  }

  // The action after "->": line op, record op, new state (or Error's message).
  absl::Status ReadAction(absl::string_view action, absl::string_view line, int number,
                          Rule* rule) const {
    std::vector<std::optional<absl::string_view>> parts;
    const ActionForms& forms = Actions();
    const PythonRegex* form = forms.full.get();
    if (!form->Match(action, &parts)) {
      form = forms.record.get();
      if (!form->Match(action, &parts)) {
        form = forms.state.get();
        if (!form->Match(action, &parts)) {
          return Error(number, absl::StrCat("badly formatted rule '", line, "'"));
        }
      }
    }
    std::optional<std::string> ln_op = Group(*form, parts, "ln_op");
    std::optional<std::string> rec_op = Group(*form, parts, "rec_op");
    rule->new_state = Group(*form, parts, "new_state").value_or("");
    if (ln_op == "Continue") rule->line_op = Rule::LineOp::kContinue;
    if (ln_op == "Error") rule->line_op = Rule::LineOp::kError;
    if (rec_op == "Record") rule->record_op = Rule::RecordOp::kRecord;
    if (rec_op == "Clear") rule->record_op = Rule::RecordOp::kClear;
    if (rec_op == "Clearall") rule->record_op = Rule::RecordOp::kClearall;
    if (rule->line_op == Rule::LineOp::kContinue && !rule->new_state.empty()) {
      return Error(number,
                   absl::StrCat("Continue cannot change state (to ", rule->new_state, ")"));
    }
    if (rule->line_op != Rule::LineOp::kError && !rule->new_state.empty() &&
        !IsWordChar(rule->new_state.front())) {
      return Error(number, "alphanumeric characters only in state names");
    }
    return absl::OkStatus();
  }

  // Start first, then every rule's new state to its index.
  absl::Status Link() {
    auto start = state_index_.find("Start");
    if (start == state_index_.end()) {
      return Error(static_cast<int>(at_), "missing state 'Start'");
    }
    std::swap(fsm_->states_[0], fsm_->states_[start->second]);
    state_index_.clear();
    for (size_t i = 0; i < fsm_->states_.size(); ++i) state_index_[fsm_->states_[i]->name] = i;
    for (auto& state : fsm_->states_) {
      for (Rule& rule : state->rules) {
        if (rule.line_op == Rule::LineOp::kError || rule.new_state.empty()) continue;
        if (rule.new_state == "End") {
          rule.next = kEndState;
        } else if (rule.new_state == "EOF") {
          rule.next = kEofState;
        } else if (auto it = state_index_.find(rule.new_state); it != state_index_.end()) {
          rule.next = it->second;
        } else {
          return Error(rule.line, absl::StrCat("state '", rule.new_state,
                                               "' not found, referenced in state '", state->name,
                                               "'"));
        }
      }
    }
    return absl::OkStatus();
  }

  std::unique_ptr<TextFsm> fsm_;
  const std::vector<absl::string_view> lines_;
  const bool empty_;
  size_t at_ = 0;                                // the next line; its number is at_ + 1
  std::map<std::string, std::string> group_of_;  // Value name -> its group in rule regexes
  std::map<std::string, int> state_index_;
};

absl::StatusOr<std::unique_ptr<TextFsm>> TextFsm::Parse(absl::string_view text,
                                                        absl::string_view source) {
  return Builder(text, source).Build();
}

// One ParseText: the values as they are filled, and the records so far.
class TextFsm::Run {
 public:
  explicit Run(const TextFsm& fsm) : fsm_(fsm), cells_(fsm.values_.size()),
                                     filldown_(fsm.values_.size()), lists_(fsm.values_.size()) {}

  absl::StatusOr<std::vector<FsmRecord>> Parse(absl::string_view output) {
    int state = 0;
    bool stopped = false;  // End or EOF reached
    bool ended = false;    // End, which also skips the implicit record
    std::vector<std::optional<absl::string_view>> groups;
    int number = 0;  // of the input line
    for (absl::string_view line : SplitLines(output)) {
      ++number;
      for (const Rule& rule : fsm_.states_[state]->rules) {
        absl::StatusOr<bool> matched = rule.regex->TryMatch(line, &groups);
        if (!matched.ok()) return GaveUp(rule, number, matched.status());
        if (!*matched) continue;
        for (const auto& [group, value] : rule.assigns) {
          absl::Status assigned = Assign(value, groups[group]);
          if (!assigned.ok()) return GaveUp(rule, number, assigned);
        }
        switch (rule.record_op) {
          case Rule::RecordOp::kRecord:
            AppendRecord();
            break;
          case Rule::RecordOp::kClear:
            ClearRecord();
            break;
          case Rule::RecordOp::kClearall:
            ClearAll();
            break;
          case Rule::RecordOp::kNoRecord:
            break;
        }
        if (rule.line_op == Rule::LineOp::kError) {
          return absl::FailedPreconditionError(absl::StrCat(
              fsm_.source_, ":", rule.line, ": ",
              rule.new_state.empty() ? "State Error raised"
                                     : absl::StrCat("Error: ", rule.new_state),
              ". Input line: ", line));
        }
        if (rule.line_op == Rule::LineOp::kContinue) continue;
        if (rule.next >= 0) state = rule.next;
        if (rule.next == kEndState || rule.next == kEofState) {
          stopped = true;
          ended = rule.next == kEndState;
        }
        break;
      }
      if (stopped) break;
    }
    if (!ended && !fsm_.has_eof_state_) AppendRecord();
    return std::move(results_);
  }

 private:
  // A regex that gave up decides nothing: no records rather than records
  // that a line silently missed. The line itself is not quoted: it may be
  // huge, and hostile.
  absl::Status GaveUp(const Rule& rule, int input_line, const absl::Status& why) const {
    return absl::ResourceExhaustedError(absl::StrCat(
        fsm_.source_, ":", rule.line, ": a regex could not finish on input line ",
        input_line, " (", why.message(), "); no records"));
  }

  absl::Status Assign(int index, std::optional<absl::string_view> text) {
    const Value& value = *fsm_.values_[index];
    FsmCell& cell = cells_[index];
    cell = FsmCell{};
    if (text) {
      cell.kind = FsmCell::Kind::kText;
      cell.text = std::string(*text);
    }
    for (Option option : value.options) {
      if (option == Option::kFilldown) filldown_[index] = cell;
      if (option == Option::kFillup && cell.truthy()) {
        for (auto record = results_.rbegin(); record != results_.rend(); ++record) {
          if ((*record)[index].truthy()) break;
          (*record)[index] = cell;
        }
      }
      if (option == Option::kList) {
        absl::StatusOr<FsmCell::Item> item = ListItem(value, cell);
        if (!item.ok()) return item.status();
        lists_[index].push_back(*std::move(item));
      }
    }
    return absl::OkStatus();
  }

  // What a List value appends: the text, or an object of the value's own
  // named groups when it has some.
  static absl::StatusOr<FsmCell::Item> ListItem(const Value& value, const FsmCell& cell) {
    FsmCell::Item item;
    std::vector<std::optional<absl::string_view>> groups;
    bool nested = false;
    if (cell.kind == FsmCell::Kind::kText && value.list_regex->group_count() > 1 &&
        !value.list_regex->named_groups().empty()) {
      absl::StatusOr<bool> matched = value.list_regex->TryMatch(cell.text, &groups);
      if (!matched.ok()) return matched.status();
      nested = *matched;
    }
    if (nested) {
      item.is_object = true;
      for (const auto& [name, number] : value.list_regex->named_groups()) {
        std::optional<std::string> field;
        if (groups[number]) field = std::string(*groups[number]);
        item.fields.emplace_back(name, std::move(field));
      }
      return item;
    }
    if (cell.kind == FsmCell::Kind::kText) item.text = cell.text;
    return item;
  }

  void ClearRecord() {
    for (size_t i = 0; i < cells_.size(); ++i) {
      const Value& value = *fsm_.values_[i];
      cells_[i] = FsmCell{};
      for (Option option : value.options) {
        if (option == Option::kFilldown) cells_[i] = filldown_[i];
        if (option == Option::kList && !value.Has(Option::kFilldown)) lists_[i].clear();
      }
    }
  }

  void ClearAll() {
    for (size_t i = 0; i < cells_.size(); ++i) {
      cells_[i] = FsmCell{};
      filldown_[i] = FsmCell{};
      lists_[i].clear();
    }
  }

  void AppendRecord() {
    if (cells_.empty()) return;
    for (size_t i = 0; i < cells_.size(); ++i) {
      for (Option option : fsm_.values_[i]->options) {
        if (option == Option::kRequired && !cells_[i].truthy()) {
          ClearRecord();
          return;
        }
        if (option == Option::kList) {
          cells_[i] = FsmCell{};
          cells_[i].kind = FsmCell::Kind::kList;
          cells_[i].items = lists_[i];
        }
      }
    }
    bool empty = true;
    for (const FsmCell& cell : cells_) {
      empty = empty && (cell.kind == FsmCell::Kind::kNone ||
                        (cell.kind == FsmCell::Kind::kList && cell.items.empty()));
    }
    if (empty) return;
    FsmRecord record = cells_;
    for (FsmCell& cell : record) {
      if (cell.kind == FsmCell::Kind::kNone) cell.kind = FsmCell::Kind::kText;  // None -> ''
    }
    results_.push_back(std::move(record));
    ClearRecord();
  }

  const TextFsm& fsm_;
  std::vector<FsmCell> cells_;
  std::vector<FsmCell> filldown_;
  std::vector<std::vector<FsmCell::Item>> lists_;
  std::vector<FsmRecord> results_;
};

absl::StatusOr<std::vector<FsmRecord>> TextFsm::ParseText(absl::string_view output) const {
  return Run(*this).Parse(output);
}

std::vector<absl::string_view> SplitLines(absl::string_view text) {
  std::vector<absl::string_view> lines;
  size_t start = 0;
  size_t i = 0;
  auto end_line = [&](size_t at, size_t width) {
    lines.push_back(text.substr(start, at - start));
    start = at + width;
    i = start;
  };
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      end_line(i, 2);
    } else if (c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e)) {
      end_line(i, 1);
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) {
      end_line(i, 2);
    } else if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) == 0xa8 ||
                static_cast<unsigned char>(text[i + 2]) == 0xa9)) {
      end_line(i, 3);
    } else {
      ++i;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

}  // namespace netshard
