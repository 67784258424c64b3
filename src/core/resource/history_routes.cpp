// Reading back the history table (store/history_log.hpp): the audit log under /admin/audit,
// a resource's versions under /admin/history{collection}/{id}, and GET {collection}/{id}?asOf=.
#include "resource/history_routes.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <tmfd/date_time.hpp>
#include <tmfd/error.hpp>

#include "resource/engine.hpp"
#include "resource/http_glue.hpp"
#include "resource/json_diff.hpp"
#include "resource/projection.hpp"
#include "resource/query.hpp"
#include "resource/resource_filter.hpp"
#include "store/history_log.hpp"

namespace tmfd::resource {

namespace {

constexpr std::size_t kExportPage = 10000;

std::string iso_ms(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  int millis = static_cast<int>(ms - static_cast<std::int64_t>(secs) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

bool is_deletion(const store::history::Entry& e) { return !e.body && !e.current; }

// The current version's body is the resource table's row (history_log.hpp): fetched here, if
// the row still holds that version (history may have been off for later changes).
void fill_current_body(Engine& engine, store::history::Entry& e) {
  if (e.body || !e.current) return;
  if (auto now = engine.current_version(e.collection, e.resource_id); now && now->version == e.version)
    e.body = std::move(now->body);
}

// The JSON Patch from the version before an entry to the entry's version; null when the
// version's body is unknown (history was off when the next change was made).
json::value patch_of(store::Connection& reader, const store::history::Entry& e) {
  if (is_deletion(e)) return json::array{json::object{{"op", "remove"}, {"path", ""}}};
  if (!e.body) return nullptr;
  json::value after = json::parse(*e.body);
  std::optional<std::string> before;
  if (e.version > 1) before = store::history::body_before(reader, e.collection, e.resource_id, e.seq);
  if (before) return json_diff(json::parse(*before), after);
  // A creation; or an update whose previous version retention removed: the whole document.
  return json::array{json::object{{"op", e.version > 1 ? "replace" : "add"}, {"path", ""}, {"value", std::move(after)}}};
}

json::object resource_ref(const store::history::Entry& e) {
  return json::object{{"api", e.api}, {"collection", e.collection}, {"id", e.resource_id},
                      {"version", e.version}, {"@type", e.type}};
}

json::object audit_json(Engine& engine, store::Connection& reader, store::history::Entry& e) {
  fill_current_body(engine, e);
  json::object o{{"seq", e.seq},
                 {"at", iso_ms(e.at_ms)},
                 {"principal", e.principal},
                 {"correlationId", e.correlation_id},
                 {"operation", e.operation},
                 {"resource", resource_ref(e)}};
  if (e.internal) o["internal"] = true;
  o["patch"] = patch_of(reader, e);
  return o;
}

std::size_t page_limit(const ListQuery& q, const EngineOptions& options) {
  return q.limit ? std::min(*q.limit, options.max_page_size) : options.default_page_size;
}

void require_enabled(const EngineOptions& options) {
  if (!options.record_history)
    throw ApiError::bad_request("history is not recorded on this server (history.enabled is false)");
}

} // namespace

std::optional<std::string> take_query_param(std::string& query, std::string_view name) {
  std::optional<std::string> value;
  std::string rest;
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string_view part(query.data() + start, end - start);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
      if (value) throw ApiError::bad_request("'" + std::string(name) + "' is given twice");
      value = std::string(part.substr(name.size() + 1));
    } else if (!part.empty()) {
      if (!rest.empty()) rest += '&';
      rest += part;
    }
    start = end + 1;
  }
  if (value) query = std::move(rest);
  return value;
}

std::int64_t parse_as_of(const std::string& raw) {
  std::string text = percent_decode(raw);
  // A '+' of an offset left unencoded in the URL reads as a space.
  for (char& c : text)
    if (c == ' ') c = '+';
  auto ms = date_time_ms(text);
  if (!ms) throw ApiError::bad_request("asOf must be an RFC 3339 date-time, e.g. 2024-05-01T12:00:00Z");
  return *ms;
}

void Engine::handle_get_as_of(const Kind& k, http::Request& req, std::string rest_query, const std::string& as_of,
                              http::Reply reply) {
  const std::int64_t at = parse_as_of(as_of);
  require_enabled(options_);
  auto id = std::string(req.param("id"));
  auto q = parse_list_query(rest_query);
  if (!q.filters.empty() || !q.sort.empty() || q.offset || q.limit)
    throw ApiError::bad_request("only 'fields' and 'asOf' apply when reading one resource");
  auto found = store::history::version_at(db_.reader(), k.table.name, k.collection_path, id, at);
  if (found) fill_current_body(*this, *found);
  if (!found || !found->body)
    throw ApiError::not_found(k.kind.type + " '" + id + "' did not exist at " + iso_ms(at) +
                              (found && is_deletion(*found) ? " (it was deleted)" : ""));
  require_visible(req.context, *found->body, k.kind.type + " '" + id + "'");
  http::Response resp;
  resp.body = q.fields.empty() ? std::move(*found->body)
                               : json::serialize(project_fields(parse_object(*found->body), q.fields));
  resp.headers.emplace_back("ETag", etag(found->version));
  resp.headers.emplace_back("X-Version-At", iso_ms(found->at_ms));
  reply(std::move(resp));
}

void Engine::register_history_route(const Kind& k) {
  const Kind* kp = &k;
  routes_.add(
      http::Method::Get, "/admin/history" + k.collection_path + "/{id}",
      [this, kp](http::Request& req, http::Reply reply) {
        require_enabled(options_);
        auto q = parse_list_query(req.query);
        if (!q.filters.empty() || !q.sort.empty() || !q.fields.empty())
          throw ApiError::bad_request("a history listing takes only offset and limit");
        const std::string id(req.param("id"));
        std::size_t total = 0;
        auto& reader = db_.reader();
        auto rows = store::history::versions(reader, kp->table.name, kp->collection_path, id, q.offset, page_limit(q, options_), total);
        if (total == 0) throw ApiError::not_found("no history of " + kp->kind.type + " '" + id + "'");
        json::array out;
        for (auto& e : rows) {
          fill_current_body(*this, e);
          json::object o{{"seq", e.seq},
                         {"at", iso_ms(e.at_ms)},
                         {"version", e.version},
                         {"operation", e.operation},
                         {"principal", e.principal},
                         {"correlationId", e.correlation_id}};
          o["resource"] = e.body ? json::value(parse_object(*e.body)) : json::value(nullptr);
          out.push_back(std::move(o));
        }
        auto resp = http::Response::json(200, json::serialize(out));
        resp.headers.emplace_back("X-Total-Count", std::to_string(total));
        resp.headers.emplace_back("X-Result-Count", std::to_string(rows.size()));
        reply(std::move(resp));
      },
      http::RouteInfo{.api = "admin", .kind = "history", .operation = "list"});
}

void add_audit_routes(http::RouteRegistry& routes, Engine& engine, store::Database& db, const EngineOptions& options) {
  routes.add(
      http::Method::Get, "/admin/audit",
      [&engine, &db, &options](http::Request& req, http::Reply reply) {
        require_enabled(options);
        auto q = parse_list_query(req.query);
        auto& reader = db.reader();
        std::size_t total = 0;
        auto rows = store::history::entries(reader, q, page_limit(q, options), &total);
        json::array out;
        for (auto& e : rows) {
          auto o = audit_json(engine, reader, e);
          out.push_back(q.fields.empty() ? json::value(std::move(o)) : json::value(project_fields(o, q.fields)));
        }
        auto resp = http::Response::json(200, json::serialize(out));
        resp.headers.emplace_back("X-Total-Count", std::to_string(total));
        resp.headers.emplace_back("X-Result-Count", std::to_string(rows.size()));
        reply(std::move(resp));
      },
      http::RouteInfo{.api = "admin", .kind = "audit", .operation = "list"});
  // JSON lines, oldest first, at most kExportPage entries per response: a client continues with
  // seq.gt=<the last seq it received> until a response has fewer lines.
  routes.add(
      http::Method::Get, "/admin/audit/export",
      [&engine, &db, &options](http::Request& req, http::Reply reply) {
        require_enabled(options);
        auto q = parse_list_query(req.query);
        if (!q.sort.empty() || !q.fields.empty()) throw ApiError::bad_request("an export takes filters, offset and limit only");
        auto& reader = db.reader();
        auto rows = store::history::entries(reader, q, std::min(q.limit.value_or(kExportPage), kExportPage), nullptr);
        http::Response resp;
        resp.content_type = "application/x-ndjson";
        for (auto& e : rows) {
          resp.body += json::serialize(audit_json(engine, reader, e));
          resp.body += '\n';
        }
        resp.headers.emplace_back("X-Result-Count", std::to_string(rows.size()));
        if (!rows.empty()) resp.headers.emplace_back("X-Last-Seq", std::to_string(rows.back().seq));
        reply(std::move(resp));
      },
      http::RouteInfo{.api = "admin", .kind = "audit", .operation = "list"});
}

} // namespace tmfd::resource
