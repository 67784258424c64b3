#pragma once
// The keys of tmfd.yaml that the kernel itself reads, and the rules for module/plugin blocks.
//
// Module and plugin blocks are checked in two passes. Validating the root with core_schema()
// only checks that each block is a mapping with a boolean `enabled` (default true); its other
// keys are let through (kDeferredKeys) and left out of the result. Once the module's library is
// loaded, the loader validates the block again with module_block_schema(module.config_schema()),
// e.g. doc.validate("modules.party", ...), and hands that result to the module. This keeps the
// core schema ignorant of modules while an unknown key in a module block is still an error,
// reported against the module's own key list.
//
// `plugins` also carries the plugin `directory`, so it is an Object with that fixed key plus one
// block per plugin (kOtherKeys); a plugin therefore cannot be named "directory". Use block_names()
// to list the blocks of either section. Block names are used in dotted key paths, so they cannot
// contain a dot.
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/config_schema.hpp>
#include <tmfd/json.hpp>

namespace tmfd::config {

// The schema of the whole file (validate the root, key path "").
const Schema& core_schema();

// The schema of one module or plugin block: `enabled` plus the module's own keys. Throws
// std::invalid_argument if the module declares `enabled` itself (the kernel owns that key).
Schema module_block_schema(const Schema& module_schema);

// The block names of a section ("modules" or "plugins") of a root validated with core_schema(),
// in file order, without the `plugins.directory` setting.
std::vector<std::string> block_names(const json::object& validated_root, std::string_view section);

} // namespace tmfd::config
