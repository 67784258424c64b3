// Registration, routes and the read side of the resource engine. Writes are in mutations.cpp.
#include "resource/engine.hpp"

#include "build_info.hpp"
#include "resource/openapi.hpp"

#include <algorithm>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "resource/history_routes.hpp"
#include "resource/http_glue.hpp"
#include "resource/projection.hpp"
#include "resource/query.hpp"
#include "resource/resource_filter.hpp"

namespace tmfd::resource {

namespace {

bool valid_segment_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '@' || c == '-' || c == '.'))
      return false;
  return true;
}

std::string table_name(const ResourceKind& kind) {
  std::string name = "r_" + kind.api + "_" + kind.collection;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

} // namespace

Engine::Engine(store::Database& db, http::RouteRegistry& routes, EngineOptions options)
    : db_(db), routes_(routes), options_(std::move(options)) {}

void Engine::add(ResourceKind kind, ResourceHooks hooks) {
  if (kind.base_path.empty() || kind.base_path.front() != '/' || kind.base_path.back() == '/')
    throw std::invalid_argument("resource kind '" + kind.collection +
                                "': base_path must start with '/' and not end with one");
  if (!valid_segment_name(kind.collection) || kind.api.empty() || kind.type.empty())
    throw std::invalid_argument("resource kind needs api, collection and type");
  for (const auto& p : kind.indexed)
    if (!valid_segment_name(p))
      throw std::invalid_argument("resource kind '" + kind.collection + "': bad indexed path '" + p + "'");
  auto path = kind.base_path + "/" + kind.collection;
  if (kinds_.count(path)) throw std::invalid_argument("resource kind declared twice: " + path);

  auto k = std::make_unique<Kind>();
  k->table = store::TableSpec{table_name(kind), kind.indexed};
  k->collection_path = path;
  k->kind = std::move(kind);
  k->hooks = std::move(hooks);
  db_.ensure_table(k->table);
  const Exposure exposure = k->kind.exposure;
  if (exposure == Exposure::Rest) register_routes(*k);
  if (exposure == Exposure::AdminReadOnly) register_admin_routes(*k);
  if (options_.record_history) register_history_route(*k);
  const std::string base = k->kind.base_path;
  const std::string api = k->kind.api;
  kinds_.emplace(path, std::move(k));
  if (exposure != Exposure::Rest) return;  // internal kinds have no API description
  // The API's description, once per base path, built at each request from the kinds declared by
  // then (a module may add kinds to a base path another one started).
  if (described_.insert(base).second)
    routes_.add(http::Method::Get, base + "/openapi.json", [this, base](http::Request&, http::Reply reply) {
      OpenApiInput input{base, options_.public_base_url + base, std::string(build_info::version()), {}};
      for (const auto& [collection_path, kind] : kinds_)
        if (kind->kind.base_path == base) input.kinds.push_back(&kind->kind);
      reply(http::Response::json(200, json::serialize(openapi_document(input))));
    }, http::RouteInfo{.api = api, .kind = "openapi", .operation = "get"});
}

const Engine::Kind& Engine::find(const std::string& collection_path) const {
  auto it = kinds_.find(collection_path);
  if (it == kinds_.end()) throw std::invalid_argument("no resource kind at " + collection_path);
  return *it->second;
}

void Engine::register_routes(const Kind& k) {
  using http::Method;
  const Kind* kp = &k;  // Kind objects live as long as the engine
  const Operations& ops = k.kind.operations;
  // Each route says what it is (API, kind, operation), for the front's filters (RBAC rules).
  auto route = [&](Method m, const std::string& pattern, const char* operation,
                   void (Engine::*handler)(const Kind&, http::Request&, http::Reply)) {
    routes_.add(m, pattern, [this, kp, handler](http::Request& r, http::Reply reply) {
      (this->*handler)(*kp, r, std::move(reply));
    }, http::RouteInfo{k.kind.api, k.kind.collection, operation, false});
  };
  const auto item = k.collection_path + "/{id}";
  if (ops.list) route(Method::Get, k.collection_path, "list", &Engine::handle_list);
  if (ops.create) route(Method::Post, k.collection_path, "create", &Engine::handle_post);
  if (ops.get) route(Method::Get, item, "get", &Engine::handle_get);
  if (ops.patch) route(Method::Patch, item, "patch", &Engine::handle_patch);
  if (ops.remove) route(Method::Delete, item, "delete", &Engine::handle_delete);
}

void Engine::register_admin_routes(const Kind& k) {
  // Read-only, under /admin: a module's own state is for operators to inspect, never to edit.
  const Kind* kp = &k;
  const std::string collection = "/admin" + k.collection_path;
  routes_.add(
      http::Method::Get, collection,
      [this, kp](http::Request& r, http::Reply reply) { handle_list(*kp, r, std::move(reply)); },
      http::RouteInfo{.api = k.kind.api, .kind = k.kind.collection, .operation = "list"});
  routes_.add(
      http::Method::Get, collection + "/{id}",
      [this, kp](http::Request& r, http::Reply reply) { handle_get(*kp, r, std::move(reply)); },
      http::RouteInfo{.api = k.kind.api, .kind = k.kind.collection, .operation = "get"});
}

std::map<std::string, std::vector<std::string>> Engine::apis() const {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [path, k] : kinds_) {
    if (k->kind.exposure != Exposure::Rest) continue;  // no hub, no API index entry
    auto& names = out[k->kind.base_path];
    if (std::find(names.begin(), names.end(), k->kind.api) == names.end()) names.push_back(k->kind.api);
  }
  return out;
}

std::vector<std::string> Engine::collections(const std::string& base_path) const {
  std::vector<std::string> out;
  for (const auto& [path, k] : kinds_) {
    const auto& ops = k->kind.operations;
    if (k->kind.exposure != Exposure::Rest) continue;
    // A kind the module serves through routes of its own (TMF688's events) is not a collection here.
    if (k->kind.base_path == base_path && (ops.list || ops.get || ops.create)) out.push_back(k->kind.collection);
  }
  return out;
}

std::string Engine::href_for(const Kind& k, std::string_view id) const {
  std::string href = options_.public_base_url;
  href += k.collection_path;
  href += '/';
  href += id;
  return href;
}

std::optional<StoredResource> Engine::get(const std::string& collection_path, const std::string& id) {
  return db_.get(find(collection_path).table, id);
}

std::optional<StoredResource> Engine::current_version(const std::string& collection_path, const std::string& id) {
  auto it = kinds_.find(collection_path);
  if (it == kinds_.end()) return std::nullopt;
  return db_.get(it->second->table, id);
}

ListPage Engine::list(const std::string& collection_path, const std::string& query) {
  const Kind& k = find(collection_path);
  auto q = parse_list_query(query);
  auto page = db_.list(k.table, q, q.limit ? options_.max_page_size : options_.default_page_size);
  if (!q.fields.empty())
    for (auto& body : page.bodies) body = json::serialize(project_fields(parse_object(body), q.fields));
  return page;
}

void Engine::handle_list(const Kind& k, http::Request& req, http::Reply reply) {
  auto q = parse_list_query(req.query);
  for (auto& f : resource_filters(req.context)) q.filters.push_back(std::move(f));
  auto page = db_.list(k.table, q, q.limit ? options_.max_page_size : options_.default_page_size);
  std::string body;
  std::size_t size = 2;
  for (const auto& b : page.bodies) size += b.size() + 1;
  body.reserve(size);
  body += '[';
  for (std::size_t i = 0; i < page.bodies.size(); ++i) {
    if (i) body += ',';
    if (q.fields.empty()) body += page.bodies[i];
    else body += json::serialize(project_fields(parse_object(page.bodies[i]), q.fields));
  }
  body += ']';
  auto resp = http::Response::json(200, std::move(body));
  resp.headers.emplace_back("X-Total-Count", std::to_string(page.total));
  resp.headers.emplace_back("X-Result-Count", std::to_string(page.bodies.size()));
  reply(std::move(resp));
}

void Engine::handle_get(const Kind& k, http::Request& req, http::Reply reply) {
  if (!req.query.empty()) {
    std::string rest = req.query;
    if (auto as_of = take_query_param(rest, "asOf"))
      return handle_get_as_of(k, req, std::move(rest), *as_of, std::move(reply));
  }
  auto id = req.param("id");
  auto found = db_.get(k.table, id);
  if (!found)
    throw ApiError::not_found(k.kind.type + " '" + std::string(id) + "' does not exist");
  require_visible(req.context, found->body, k.kind.type + " '" + std::string(id) + "'");
  http::Response resp;
  if (req.query.empty()) {
    resp.body = std::move(found->body);
  } else {
    auto q = parse_list_query(req.query);
    if (!q.filters.empty() || !q.sort.empty() || q.offset || q.limit)
      throw ApiError::bad_request("only 'fields' applies when reading one resource");
    resp.body = q.fields.empty() ? std::move(found->body)
                                 : json::serialize(project_fields(parse_object(found->body), q.fields));
  }
  resp.headers.emplace_back("ETag", etag(found->version));
  reply(std::move(resp));
}

void Engine::handle_post(const Kind& k, http::Request& req, http::Reply reply) {
  require_json_content_type(req.content_type);
  do_create(k, parse_object(req.body), req.context,
            [reply = std::move(reply)](WriteResult r) { reply(to_response(std::move(r))); });
}

void Engine::handle_patch(const Kind& k, http::Request& req, http::Reply reply) {
  PatchMode mode = is_json_patch(req.content_type) ? PatchMode::JsonPatch : PatchMode::Merge;
  if (mode == PatchMode::Merge) require_merge_patch_content_type(req.content_type);
  json::value patch = parse_value(req.body);
  if (mode == PatchMode::Merge && !patch.is_object())
    throw ApiError::bad_request("a merge patch must be a JSON object");
  if (mode == PatchMode::JsonPatch && !patch.is_array())
    throw ApiError::bad_request("a JSON Patch must be a JSON array of operations");
  do_patch(k, std::string(req.param("id")), mode, std::move(patch), req.if_match, req.context,
           [reply = std::move(reply)](WriteResult r) { reply(to_response(std::move(r))); });
}

void Engine::handle_delete(const Kind& k, http::Request& req, http::Reply reply) {
  do_delete(k, std::string(req.param("id")), req.if_match, req.context,
            [reply = std::move(reply)](WriteResult r) { reply(to_response(std::move(r))); });
}

} // namespace tmfd::resource
