#pragma once
// Config texts for the tmfd under test that the default one (TmfdProcess::default_yaml) cannot
// give by appending extra_yaml.
#include <string>

#include "tmfd_process.hpp"

namespace tmfd::test {

// The default test config with `keys` (indented lines) added to its `server:` block; extra_yaml
// cannot do this, since a second `server:` block is a duplicate key.
TmfdOptions with_server_keys(const std::string& keys);

// A config for `dir` with the catalog module only (no party, no access log), optionally with
// import and export folders `dir`/imp and `dir`/exp and the repository's demo catalog.
std::string catalog_yaml(const std::string& dir, bool import_dir, bool export_dir, bool demo = false);

// Options running catalog_yaml() in the process's own folder.
TmfdOptions catalog_module_options(bool import_dir, bool export_dir, bool demo);

} // namespace tmfd::test
