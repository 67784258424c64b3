#pragma once
// GET /: a JSON index of what this tmfd serves, for people and tools finding their way: its
// version and revision, the loaded modules and adapters with their versions, and each API base
// path with its names, collections and links (its OpenAPI description and its hub).
#include <string>
#include <utility>
#include <vector>

#include "http/router.hpp"
#include "resource/engine.hpp"

namespace tmfd::app {

struct LoadedModule {
  std::string name;
  std::string version;
  std::string section;  // "modules" or "plugins"
};

void add_api_index(http::Router& router, const resource::Engine& engine, std::vector<LoadedModule> modules,
                   std::string public_base_url);

} // namespace tmfd::app
