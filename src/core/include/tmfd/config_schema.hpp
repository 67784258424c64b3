#pragma once
// How a module (or the core) declares the keys it accepts in tmfd.yaml. The loader validates the
// YAML block against the schema before the module starts: unknown keys, wrong types and missing
// required values stop start-up with a message naming the file, line, key and problem.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd::config {

enum class Type {
  String,
  Integer,
  Number,
  Boolean,
  Object,     // fixed keys, described by `children`
  StringList, // a YAML sequence of strings
  Map,        // free keys (names chosen by the operator), each value validated by children[0]
};

struct Field {
  std::string name;
  Type type = Type::String;
  std::string description;
  bool required = false;
  // Applied when the key is absent and not required. Null means "no default" (key left out).
  json::value default_value = nullptr;
  std::vector<Field> children;              // Object: its keys; Map: exactly one entry, the value schema
  std::optional<std::int64_t> min;          // Integer/Number: inclusive bounds
  std::optional<std::int64_t> max;
  std::vector<std::string> allowed;         // String: allowed values (empty: any)
  bool secret = false;                      // never logged; shown as "***" in --check-config output
};

using Schema = std::vector<Field>;

// Thrown for any invalid configuration. what() reads "FILE:LINE: key.path: problem".
class ConfigError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace tmfd::config
