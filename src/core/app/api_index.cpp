#include "app/api_index.hpp"

#include <tmfd/json.hpp>

#include "build_info.hpp"

namespace tmfd::app {

void add_api_index(http::Router& router, const resource::Engine& engine, std::vector<LoadedModule> modules,
                   std::string public_base_url) {
  json::array loaded;
  for (const auto& m : modules)
    loaded.push_back(json::object{{"name", m.name}, {"version", m.version}, {"kind", m.section == "plugins" ? "adapter" : "module"}});
  json::array apis;
  for (const auto& [base_path, names] : engine.apis()) {
    json::array api_names;
    for (const auto& n : names) api_names.emplace_back(n);
    json::array collections;
    for (const auto& c : engine.collections(base_path)) collections.emplace_back(c);
    // The major version is the last segment of a TMF base path (/tmf-api/party/v4).
    const auto version = base_path.substr(base_path.rfind('/') + 1);
    apis.push_back(json::object{{"names", api_names},
                                {"basePath", base_path},
                                {"version", version},
                                {"collections", collections},
                                {"href", public_base_url + base_path},
                                {"openapi", public_base_url + base_path + "/openapi.json"},
                                {"hub", public_base_url + base_path + "/hub"}});
  }
  const std::string body = json::serialize(json::object{{"name", "tmfd"},
                                                        {"version", build_info::version()},
                                                        {"revision", build_info::revision()},
                                                        {"modules", loaded},
                                                        {"apis", apis},
                                                        {"health", public_base_url + "/health/ready"},
                                                        {"metrics", public_base_url + "/metrics"}});
  // For the front's filters: a read of the kernel's index (no API of its own).
  router.add(http::Method::Get, "/", [body](http::Request&, http::Reply reply) { reply(http::Response::json(200, body)); },
             http::RouteInfo{.api = "", .kind = "apiIndex", .operation = "get"});
}

} // namespace tmfd::app
