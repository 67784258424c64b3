#pragma once
// Reads tmfd.yaml and checks it against config schemas (the core's and each module's).
//
// The YAML stays parsed in a ConfigDocument so that every block can be validated when its schema
// becomes known: the root first, with the core schema, then each module's block once the module
// library is loaded and has declared its own schema. Every error names the file, the line and the
// full key path, because the operator has to find the mistake in a file, not in our data model.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/config_schema.hpp>
#include <tmfd/json.hpp>

namespace YAML {
class Node;
} // namespace YAML

namespace tmfd::config {

// Two schema conventions understood by validate() on top of the SDK's Field. They are spelled as
// reserved child names rather than new Field members because Field crosses the plugin ABI (a
// module returns its Schema from a shared library): adding a member would break every plugin.
// Neither name can be written as a key in an Object of a schema that does not declare it.
//
// A child named kOtherKeys ("*") of an Object validates every key the Object does not declare,
// so an Object can mix fixed keys with operator-chosen names (`plugins`: `directory` plus one
// block per plugin). A Map is the same thing without fixed keys.
inline constexpr std::string_view kOtherKeys = "*";
// A child named kDeferredKeys ("...") of an Object lets every undeclared key through without
// looking at it and leaves it out of the result: the key belongs to a schema that is only known
// later. The core uses it for module and plugin blocks, whose contents the module's own schema
// checks in a second pass.
inline constexpr std::string_view kDeferredKeys = "...";

// Builds the kOtherKeys child: `value` is the schema for each undeclared key (its name is ignored).
Field other_keys(Field value);
// Builds the kDeferredKeys child.
Field deferred_keys();

// A parsed YAML document with its file name kept for messages.
class ConfigDocument {
public:
  // Throws ConfigError "PATH: cannot read: REASON" or "PATH:LINE: YAML syntax error: ...".
  static ConfigDocument load_file(const std::string& path);
  // `name` stands for the file name in messages.
  static ConfigDocument load_string(const std::string& text, const std::string& name);

  // Validates the node at a dotted key path ("" for the root, "modules.party" for a module block)
  // against `schema` and returns it as JSON with defaults applied. An absent or empty (null) node
  // validates as an empty mapping. Throws ConfigError "FILE:LINE: key.path: problem".
  //
  // Rules: null values (`key:` or `key: ~`) count as absent; String values (and StringList
  // items) get ${VAR} replaced from the environment, "$${" standing for a literal "${";
  // Integer/Number/Boolean accept plain YAML scalars only (Boolean: true/false); declared keys
  // come out in schema order, the others in file order; an absent Object yields its defaults, an
  // absent Map an empty object, any other absent key its default or nothing.
  json::object validate(const std::string& key_path, const Schema& schema) const;

  // The keys under the mapping at key_path in file order; empty if the node is absent or null.
  // Throws ConfigError if the node is something else than a mapping.
  std::vector<std::string> keys_at(const std::string& key_path) const;

  const std::string& file_name() const { return file_name_; }

  // "FILE:LINE: message" for a problem found in a value the schema accepted. `message` starts
  // with the key path ("plugins.kafka.topic: ..."): its line is the deepest part of that path the
  // file has (the file's first line when none).
  std::string place(const std::string& message) const;

private:
  ConfigDocument(std::shared_ptr<const YAML::Node> root, std::string file_name);

  // Shared so that copies are cheap; yaml-cpp stays out of this header (only the loader links it).
  std::shared_ptr<const YAML::Node> root_;
  std::string file_name_;
};

} // namespace tmfd::config
