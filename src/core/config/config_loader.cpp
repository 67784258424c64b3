#include "config/config_loader.hpp"
#include "config/yaml_documents.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <utility>

#include <yaml-cpp/yaml.h>

// A note on yaml-cpp: `YAML::Node::operator=` does not rebind a handle, it overwrites the node it
// refers to (and so the parsed document). This file therefore never assigns a Node; it only
// copy-constructs them (which shares the node) and walks with recursion or std::optional.

namespace tmfd::config {

Field other_keys(Field value) {
  value.name = std::string(kOtherKeys);
  return value;
}

Field deferred_keys() {
  Field f;
  f.name = std::string(kDeferredKeys);
  f.description = "other keys, validated later by the schema they belong to";
  return f;
}

namespace {

// Where a value sits: its full key path and the line to point the operator at (1-based, 0 when
// unknown, e.g. for an empty file).
struct Where {
  std::string path;
  int line = 0;

  Where child(std::string_view key, int key_line) const {
    std::string p = path.empty() ? std::string(key) : path + "." + std::string(key);
    return {std::move(p), key_line > 0 ? key_line : line};
  }
};

int line_of(const YAML::Node& node, int fallback) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? fallback : mark.line + 1;
}

std::string location(const std::string& file, int line) {
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

bool is_marker(const Field& f) { return f.name == kOtherKeys || f.name == kDeferredKeys; }

const Field* find_child(const Schema& children, std::string_view name) {
  for (const Field& f : children)
    if (f.name == name) return &f;
  return nullptr;
}

const Field* find_declared(const Schema& children, std::string_view key) {
  const Field* f = find_child(children, key);
  return f && !is_marker(*f) ? f : nullptr;
}

std::string declared_names(const Schema& children) {
  std::string out;
  for (const Field& f : children) {
    if (is_marker(f)) continue;
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

std::string type_name(Type t) {
  switch (t) {
  case Type::String: return "string";
  case Type::Integer: return "integer";
  case Type::Number: return "number";
  case Type::Boolean: return "boolean (true or false)";
  case Type::Object: return "mapping";
  case Type::StringList: return "list of strings";
  case Type::Map: return "mapping";
  }
  return "value";
}

// How a value is shown in a message: secrets never appear, even when they are wrong.
std::string shown(const std::string& text, const Field& f) {
  return f.secret ? std::string("***") : text;
}

std::string describe(const YAML::Node& node, const Field& f) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a sequence";
  if (node.IsScalar()) return "'" + shown(node.Scalar(), f) + "'";
  return "an empty value";
}

bool is_var_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_var_name(std::string_view name) {
  if (name.empty() || !is_var_start(name[0])) return false;
  for (char c : name)
    if (!is_var_start(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(v)) return std::nullopt; // "inf"/"nan" are no sensible setting
  return v;
}

// YAML 1.2 core booleans only: "yes"/"on" are strings in YAML 1.2, so accepting them would make
// the file mean different things to different tools.
std::optional<bool> parse_boolean(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

// One key/value pair of a YAML mapping, with the key's line (the value's own mark points at the
// line after the key for nested blocks and empty values, which is not where the operator looks).
struct Entry {
  std::string key;
  int line;
  YAML::Node value;
};

const Entry* find_entry(const std::vector<Entry>& entries, std::string_view key) {
  for (const Entry& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

class Validator {
public:
  explicit Validator(const std::string& file) : file_(file) {}

  [[noreturn]] void fail(const Where& at, const std::string& problem) const {
    const std::string path = at.path.empty() ? "(root)" : at.path;
    throw ConfigError(location(file_, at.line) + ": " + path + ": " + problem);
  }

  // The entries of a mapping (a null node has none). Keys must be distinct plain scalars: yaml-cpp
  // keeps duplicates, and silently using one of them would hide the operator's mistake.
  std::vector<Entry> entries(const YAML::Node& map, const Where& at) const {
    std::vector<Entry> out;
    if (map.IsNull()) return out;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const int line = line_of(it->first, at.line);
      if (!it->first.IsScalar()) fail(Where{at.path, line}, "keys must be plain names");
      const std::string& key = it->first.Scalar();
      if (const Entry* first = find_entry(out, key))
        fail(at.child(key, line), "duplicate key (first at line " + std::to_string(first->line) + ")");
      out.push_back(Entry{key, line, it->second});
    }
    return out;
  }

  json::object object(const YAML::Node& node, const Schema& children, const Where& at) const {
    expect_mapping(node, at);
    const std::vector<Entry> found = entries(node, at);
    // Unknown keys first: a misspelt key is usually the cause of a "missing required key".
    reject_unknown(found, children, at);
    json::object out;
    for (const Field& f : children) {
      if (is_marker(f)) continue;
      const Entry* e = find_entry(found, f.name);
      const Where w = at.child(f.name, e ? e->line : 0);
      if (e && !e->value.IsNull())
        out[f.name] = value(e->value, f, w);
      else if (auto v = absent(f, w))
        out[f.name] = std::move(*v);
    }
    if (const Field* other = find_child(children, kOtherKeys))
      for (const Entry& e : found)
        if (!find_declared(children, e.key)) out[e.key] = entry_value(e, *other, at);
    return out;
  }

private:
  void expect_mapping(const YAML::Node& node, const Where& at) const {
    if (!node.IsNull() && !node.IsMap())
      fail(at, "expected a mapping, got " + describe(node, Field{}));
  }

  void reject_unknown(const std::vector<Entry>& found, const Schema& children,
                      const Where& at) const {
    if (find_child(children, kOtherKeys) || find_child(children, kDeferredKeys)) return;
    for (const Entry& e : found) {
      if (find_declared(children, e.key)) continue;
      const std::string names = declared_names(children);
      fail(at.child(e.key, e.line),
           names.empty() ? "unknown key (no keys are allowed here)"
                         : "unknown key (allowed: " + names + ")");
    }
  }

  // The value of an operator-named key (a Map entry or an Object's undeclared key). The key was
  // written on purpose, so an empty value means "defaults" and, without one, is an error.
  json::value entry_value(const Entry& e, const Field& f, const Where& parent) const {
    const Where w = parent.child(e.key, e.line);
    if (!e.value.IsNull()) return value(e.value, f, w);
    if (auto v = absent(f, w)) return std::move(*v);
    fail(w, "missing value");
  }

  // What an absent (or null) key turns into: nested blocks still get their defaults, so a module
  // can rely on every key with a default being present in its config.
  std::optional<json::value> absent(const Field& f, const Where& at) const {
    if (f.required) fail(at, "missing required key");
    if (f.type == Type::Object) return json::value(object(YAML::Node(), f.children, at));
    if (!f.default_value.is_null()) return f.default_value;
    if (f.type == Type::Map) return json::value(json::object());
    return std::nullopt;
  }

  json::value value(const YAML::Node& node, const Field& f, const Where& at) const {
    switch (f.type) {
    case Type::Object: return object(node, f.children, at);
    case Type::Map: return map(node, f, at);
    case Type::StringList: return list(node, f, at);
    default: break;
    }
    if (!node.IsScalar()) fail(at, "expected " + type_name(f.type) + ", got " + describe(node, f));
    return scalar(node.Scalar(), f, at);
  }

  json::object map(const YAML::Node& node, const Field& f, const Where& at) const {
    if (f.children.size() != 1)
      throw std::logic_error("config schema error: Map '" + at.path +
                             "' needs exactly one child, the value schema");
    expect_mapping(node, at);
    json::object out;
    for (const Entry& e : entries(node, at)) out[e.key] = entry_value(e, f.children[0], at);
    return out;
  }

  json::array list(const YAML::Node& node, const Field& f, const Where& at) const {
    if (!node.IsSequence()) fail(at, "expected a list of strings, got " + describe(node, f));
    json::array out;
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      const Where w{at.path + "[" + std::to_string(i) + "]", line_of(item, at.line)};
      if (!item.IsScalar()) fail(w, "expected a string, got " + describe(item, f));
      out.push_back(json::value(string(item.Scalar(), f, w)));
    }
    return out;
  }

  json::value scalar(const std::string& text, const Field& f, const Where& at) const {
    switch (f.type) {
    case Type::String: return json::value(string(text, f, at));
    case Type::Integer: return integer(text, f, at);
    case Type::Number: return number(text, f, at);
    case Type::Boolean: {
      auto b = parse_boolean(text);
      if (!b) fail(at, "expected " + type_name(f.type) + ", got '" + shown(text, f) + "'");
      return *b;
    }
    default: break;
    }
    throw std::logic_error("config schema error: unhandled type at '" + at.path + "'");
  }

  std::string string(const std::string& text, const Field& f, const Where& at) const {
    std::string s = expand(text, f, at);
    if (f.allowed.empty()) return s;
    for (const std::string& a : f.allowed)
      if (a == s) return s;
    std::string list;
    for (const std::string& a : f.allowed) list += (list.empty() ? "" : ", ") + a;
    fail(at, "'" + shown(s, f) + "' is not one of: " + list);
  }

  json::value integer(const std::string& text, const Field& f, const Where& at) const {
    auto v = parse_integer(text);
    if (!v) fail(at, "expected integer, got '" + shown(text, f) + "'");
    check_range(*v, f, at, text);
    return *v;
  }

  json::value number(const std::string& text, const Field& f, const Where& at) const {
    auto v = parse_number(text);
    if (!v) fail(at, "expected number, got '" + shown(text, f) + "'");
    check_range(*v, f, at, text);
    return *v;
  }

  template <typename T>
  void check_range(T v, const Field& f, const Where& at, const std::string& text) const {
    const bool low = f.min && v < static_cast<T>(*f.min);
    const bool high = f.max && v > static_cast<T>(*f.max);
    if (!low && !high) return;
    const std::string lo = f.min ? std::to_string(*f.min) : "";
    const std::string hi = f.max ? std::to_string(*f.max) : "";
    const std::string range = f.min && f.max ? "between " + lo + " and " + hi
                              : f.min        ? "at least " + lo
                                             : "at most " + hi;
    fail(at, shown(text, f) + " is out of range (must be " + range + ")");
  }

  // Replaces each ${NAME} with the environment variable NAME; "$${" is a literal "${". Replaced
  // text is not scanned again, so a variable's value is taken as it is. Messages name the
  // variable, never its value, because secrets are the usual reason to use a variable.
  std::string expand(const std::string& text, const Field& f, const Where& at) const {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      if (text.compare(i, 3, "$${") == 0) {
        out += "${";
        i += 3;
      } else if (text.compare(i, 2, "${") == 0) {
        const std::size_t close = text.find('}', i + 2);
        if (close == std::string::npos)
          fail(at, "unterminated ${ (write $${ for a literal ${)");
        out += variable(text.substr(i + 2, close - i - 2), f, at);
        i = close + 1;
      } else {
        out += text[i++];
      }
    }
    return out;
  }

  std::string variable(const std::string& name, const Field& f, const Where& at) const {
    if (!is_var_name(name))
      fail(at, "invalid environment variable reference '${" + shown(name, f) +
                   "}' (write $${ for a literal ${)");
    const char* v = std::getenv(name.c_str());
    if (!v) fail(at, "environment variable " + name + " is not set");
    return v;
  }

  const std::string& file_;
};

// The node at a dotted key path, or nullopt with `at` naming the path when it is absent. Only
// mappings can be walked through; an absent or null step makes the rest absent too.
std::optional<YAML::Node> locate(const Validator& v, const YAML::Node& node,
                                 std::string_view rest, Where& at) {
  if (rest.empty()) return node;
  const std::size_t dot = rest.find('.');
  const std::string_view key = rest.substr(0, dot);
  const std::string_view tail = dot == std::string_view::npos ? "" : rest.substr(dot + 1);
  if (!node.IsNull() && !node.IsMap())
    v.fail(at, "expected a mapping, got " + describe(node, Field{}));
  for (const Entry& e : v.entries(node, at)) {
    if (e.key != key) continue;
    at = at.child(key, e.line);
    return locate(v, e.value, tail, at);
  }
  at = at.child(rest, 0); // absent: name the whole requested path, on the last known line
  return std::nullopt;
}

// The file's one document (a null node for an empty file).
YAML::Node parse_document(const std::string& text, const std::string& name) {
  try {
    const YamlDocuments docs = count_yaml_documents(text);
    if (docs.stuck)
      throw ConfigError(location(name, docs.stuck_line) + ": YAML syntax error: unexpected character");
    // Several documents ("---") would leave all but one silently ignored.
    if (docs.count > 1)
      throw ConfigError(location(name, docs.second_line) + ": expected one YAML document, found more");
    return docs.count == 0 ? YAML::Node() : YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(location(name, e.mark.is_null() ? 0 : e.mark.line + 1) +
                      ": YAML syntax error: " + e.msg);
  }
}

} // namespace

ConfigDocument::ConfigDocument(std::shared_ptr<const YAML::Node> root, std::string file_name)
    : root_(std::move(root)), file_name_(std::move(file_name)) {}

ConfigDocument ConfigDocument::load_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ConfigError(path + ": cannot read: it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot read: " + std::strerror(errno));
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw ConfigError(path + ": cannot read: " + std::strerror(errno));
  return load_string(text, path);
}

ConfigDocument ConfigDocument::load_string(const std::string& text, const std::string& name) {
  return ConfigDocument(std::make_shared<const YAML::Node>(parse_document(text, name)), name);
}

json::object ConfigDocument::validate(const std::string& key_path, const Schema& schema) const {
  const Validator v(file_name_);
  Where at{"", line_of(*root_, 0)};
  const std::optional<YAML::Node> node = locate(v, *root_, key_path, at);
  return v.object(node ? *node : YAML::Node(), schema, at);
}

std::string ConfigDocument::place(const std::string& message) const {
  const auto colon = message.find(": ");
  std::string key_path = message.substr(0, colon == std::string::npos ? 0 : colon);
  // "a.b[2].c" names list items the locator does not walk: it stops at "a.b".
  key_path = key_path.substr(0, key_path.find('['));
  Where at{"", line_of(*root_, 0)};
  try {
    locate(Validator(file_name_), *root_, key_path, at);
  } catch (const ConfigError&) {
    // Part of the path is not a mapping: the line reached so far stands.
  }
  return location(file_name_, at.line) + ": " + message;
}

std::vector<std::string> ConfigDocument::keys_at(const std::string& key_path) const {
  const Validator v(file_name_);
  Where at{"", line_of(*root_, 0)};
  const std::optional<YAML::Node> node = locate(v, *root_, key_path, at);
  std::vector<std::string> keys;
  if (!node) return keys;
  if (!node->IsNull() && !node->IsMap())
    v.fail(at, "expected a mapping, got " + describe(*node, Field{}));
  for (const Entry& e : v.entries(*node, at)) keys.push_back(e.key);
  return keys;
}

} // namespace tmfd::config
