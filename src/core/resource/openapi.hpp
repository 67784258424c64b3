#pragma once
// The OpenAPI 3.0 description of one API (a base path) as tmfd serves it, generated from the
// resource kinds declared under it: the paths and operations the kinds enable, the TMF630 query
// parameters, the hub, and schemas of what tmfd accepts and returns (typed attributes, mandatory
// ones, the lifecycle's states, server-set and immutable attributes). Served at
// GET {base_path}/openapi.json.
#include <string>
#include <vector>

#include <tmfd/json.hpp>
#include <tmfd/resource_kind.hpp>

namespace tmfd::resource {

struct OpenApiInput {
  std::string base_path;         // e.g. /tmf-api/party/v4
  std::string server_url;        // public_base_url + base_path, or base_path alone
  std::string version;           // tmfd's version
  std::vector<const ResourceKind*> kinds;  // the kinds under base_path, in a stable order
};

json::object openapi_document(const OpenApiInput& input);

} // namespace tmfd::resource
