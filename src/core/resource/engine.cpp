// Registration, routes and the read side of the resource engine. Writes are in mutations.cpp.
#include "resource/engine.hpp"

#include "build_info.hpp"
#include "resource/openapi.hpp"

#include <algorithm>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "resource/events.hpp"
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

  for (const auto& sub : kind.subtypes) {
    if (kind.exposure != Exposure::Rest || !valid_segment_name(sub.collection) || sub.type.empty() ||
        sub.collection == kind.collection || sub.type == kind.type)
      throw std::invalid_argument("resource kind '" + kind.collection + "': subtype '" + sub.collection +
                                  "' needs a collection and @type of its own, on a REST kind");
    if (kinds_.count(kind.base_path + "/" + sub.collection))
      throw std::invalid_argument("resource kind declared twice: " + kind.base_path + "/" + sub.collection);
  }
  auto k = std::make_unique<Kind>();
  k->table = store::TableSpec{table_name(kind), kind.indexed};
  k->collection_path = path;
  for (const auto& sub : kind.subtypes) {
    k->subtype_paths[sub.type] = kind.base_path + "/" + sub.collection;
    const auto& e = sub.events;
    if (e.create.empty() && e.attribute_value_change.empty() && e.state_change.empty() && e.remove.empty()) continue;
    ResourceKind as_subtype;
    as_subtype.api = kind.api;
    as_subtype.base_path = kind.base_path;
    as_subtype.collection = sub.collection;
    as_subtype.type = sub.type;
    as_subtype.events = sub.events;
    as_subtype.exposure = kind.exposure;
    k->subtype_event_kinds.emplace(sub.type, std::move(as_subtype));
  }
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
  for (const auto& sub : k.kind.subtypes) register_subtype_routes(k, sub);
}

namespace {

// The request confined to resources of `type`, with whatever confinement it had already.
void confine_to_type(http::Request& req, const std::string& type) {
  std::string& filter = req.context.resource_filter;
  filter = (filter.empty() ? "" : filter + "&") + "@type=" + type;
}

// A PATCH at a subtype's path that would change @type: 400 saying so (the confinement alone
// would answer 403, as for a change that leaves what the caller may access).
void refuse_type_change(const http::Request& req, const Subtype& subtype) {
  boost::system::error_code ec;
  const auto patch = json::parse(req.body, ec);
  if (ec) return;  // handle_patch answers the malformed body
  bool changes = false;
  if (const auto* object = patch.if_object()) {
    if (const auto* type = object->if_contains("@type")) changes = !type->is_string() || type->get_string() != subtype.type;
  } else if (const auto* operations = patch.if_array()) {
    for (const auto& op : *operations) {
      const auto* o = op.if_object();
      if (!o) continue;
      auto text = [&](const char* member) {
        const auto* v = o->if_contains(member);
        return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
      };
      const auto name = text("op");
      const auto* value = o->if_contains("value");
      const bool same_type = value && value->is_string() && value->get_string() == subtype.type;
      if (text("path") == "/@type" && name != "test" && !((name == "replace" || name == "add") && same_type)) changes = true;
      if (text("from") == "/@type" && name == "move") changes = true;
    }
  }
  if (changes)
    throw ApiError::invalid_attribute("@type", "cannot change at /" + subtype.collection + "; it stays " + subtype.type);
}

} // namespace

void Engine::register_subtype_routes(const Kind& k, const Subtype& subtype) {
  using http::Method;
  const Kind* kp = &k;
  const Subtype* sp = &subtype;  // lives in k.kind, as long as the engine
  const Operations& ops = k.kind.operations;
  const std::string collection = k.kind.base_path + "/" + subtype.collection;
  auto route = [&](Method m, const std::string& pattern, const char* operation,
                   void (Engine::*handler)(const Kind&, http::Request&, http::Reply)) {
    routes_.add(m, pattern, [this, kp, sp, handler](http::Request& r, http::Reply reply) {
      confine_to_type(r, sp->type);
      (this->*handler)(*kp, r, std::move(reply));
    }, http::RouteInfo{k.kind.api, subtype.collection, operation, false});
  };
  if (ops.list) route(Method::Get, collection, "list", &Engine::handle_list);
  if (ops.create)
    routes_.add(Method::Post, collection, [this, kp, sp](http::Request& r, http::Reply reply) {
      handle_subtype_post(*kp, *sp, r, std::move(reply));
    }, http::RouteInfo{k.kind.api, subtype.collection, "create", false});
  if (ops.get) route(Method::Get, collection + "/{id}", "get", &Engine::handle_get);
  if (ops.patch)
    routes_.add(Method::Patch, collection + "/{id}", [this, kp, sp](http::Request& r, http::Reply reply) {
      refuse_type_change(r, *sp);
      confine_to_type(r, sp->type);
      handle_patch(*kp, r, std::move(reply));
    }, http::RouteInfo{k.kind.api, subtype.collection, "patch", false});
  if (ops.remove) route(Method::Delete, collection + "/{id}", "delete", &Engine::handle_delete);
}

void Engine::handle_subtype_post(const Kind& k, const Subtype& subtype, http::Request& req, http::Reply reply) {
  require_json_content_type(req.content_type);
  json::object body = parse_object(req.body);
  if (const auto* type = body.if_contains("@type")) {
    if (!type->is_string() || type->get_string() != subtype.type)
      throw ApiError::invalid_attribute("@type", "must be " + subtype.type + " at /" + subtype.collection +
                                                   " (other types are created at /" + k.kind.collection + ")");
  } else {
    body["@type"] = subtype.type;
  }
  confine_to_type(req, subtype.type);
  do_create(k, std::move(body), req.context,
            [reply = std::move(reply)](WriteResult r) { reply(to_response(std::move(r))); });
}

void Engine::emit_subtype_event(store::WriteTxn& txn, const Kind& k, std::string EventNames::*which,
                                std::string_view type, std::string_view body, const std::string& id,
                                const RequestContext& context) const {
  if (k.subtype_event_kinds.empty()) return;
  const auto it = k.subtype_event_kinds.find(std::string(type));
  if (it == k.subtype_event_kinds.end() || (it->second.events.*which).empty()) return;
  txn.emit(make_event(it->second, it->second.events.*which, body, id, context));
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
    if (k->kind.base_path != base_path || !(ops.list || ops.get || ops.create)) continue;
    out.push_back(k->kind.collection);
    for (const auto& sub : k->kind.subtypes) out.push_back(sub.collection);
  }
  std::sort(out.begin(), out.end());
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
