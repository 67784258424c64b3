#pragma once
// The TMF630 resource engine, written once for every API. Modules declare ResourceKinds; the
// engine creates their tables, serves their REST routes and applies the same rules to HTTP and
// in-process calls.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <tmfd/http.hpp>
#include <tmfd/resources.hpp>

#include "store/database.hpp"

namespace tmfd::resource {

struct EngineOptions {
  std::string public_base_url;       // prefix of href and Location; empty: relative hrefs
  std::size_t default_page_size = 100;
  std::size_t max_page_size = 1000;
  std::size_t max_resource_bytes = 1 << 20;  // a stored resource's serialized size, at most
  // Every change is recorded in tmfd_history (audit log and data history); history.enabled.
  bool record_history = true;
};

class Engine final : public Resources {
public:
  Engine(store::Database& db, http::RouteRegistry& routes, EngineOptions options);

  void add(ResourceKind kind, ResourceHooks hooks) override;
  std::optional<StoredResource> get(const std::string& collection_path, const std::string& id) override;
  ListPage list(const std::string& collection_path, const std::string& query) override;
  void create(const std::string& collection_path, json::object body, std::string correlation_id,
              WriteCallback done) override;
  void patch(const std::string& collection_path, const std::string& id, json::object merge_patch,
             std::string correlation_id, WriteCallback done) override;
  void import(std::vector<ImportEntry> entries, std::string correlation_id,
              std::function<void(ImportOutcome)> done) override;
  void run(RequestContext context, std::function<void(UnitOfWork&)> work,
           std::function<void(UnitOfWorkResult)> done) override;
  UnitOfWorkResult run_and_wait(RequestContext context, std::function<void(UnitOfWork&)> work) override;
  PreparedCreate prepare_create(const std::string& collection_path, json::object body, const RequestContext& context,
                                CreateOptions options) override;
  void add_action(const std::string& collection_path, ResourceAction action) override;

  // Called on the writer thread after a commit that scheduled a timer (the timer runner's wake).
  void set_timer_listener(std::function<void()> listener) { timers_changed_ = std::move(listener); }

  // The stored row of a resource; absent when it does not exist or no kind is declared at
  // `collection_path` (any more).
  std::optional<StoredResource> current_version(const std::string& collection_path, const std::string& id);

  // API base path -> the API names (event domains) of the kinds declared under it.
  std::map<std::string, std::vector<std::string>> apis() const;
  // The collections served under a base path by the engine's own routes, in name order.
  std::vector<std::string> collections(const std::string& base_path) const;

  struct Kind {
    ResourceKind kind;
    ResourceHooks hooks;
    store::TableSpec table;
    std::string collection_path;   // base_path + "/" + collection
    // By @type, for each of kind.subtypes: its collection path, and the kind its own events are
    // made as (api and exposure of the kind; collection, type and events of the subtype).
    std::map<std::string, std::string> subtype_paths;
    std::map<std::string, ResourceKind> subtype_event_kinds;  // only subtypes with events
  };

private:
  enum class PatchMode { Merge, JsonPatch };

  friend class WorkSession;  // the change primitives of every write path

  const Kind& find(const std::string& collection_path) const;
  // run() for a named action: the audit log records its changes under the action's name.
  void run_for(RequestContext context, std::string operation, std::function<void(UnitOfWork&)> work,
               std::function<void(UnitOfWorkResult)> done);
  // The checks and server-set attributes of a new resource that need no stored state.
  // `keep_client_id`: imports may name their own ids so entries can refer to each other.
  json::object prepare_new(const Kind& k, json::object body, bool keep_client_id) const;
  void register_routes(const Kind& k);
  void register_admin_routes(const Kind& k);

  // Shared by HTTP and in-process callers. `if_match` is absent when the caller sent none.
  void do_create(const Kind& k, json::object body, RequestContext context, WriteCallback done);
  void do_patch(const Kind& k, std::string id, PatchMode mode, json::value patch,
                std::optional<std::string> if_match, RequestContext context, WriteCallback done);
  void do_delete(const Kind& k, std::string id, std::optional<std::string> if_match,
                 RequestContext context, WriteCallback done);
  // 413 when a resource's serialized form is larger than max_resource_bytes.
  void check_size(const Kind& k, const std::string& text) const;

  void handle_list(const Kind& k, http::Request& req, http::Reply reply);
  void handle_get(const Kind& k, http::Request& req, http::Reply reply);
  // GET {collection}/{id}?asOf=: the version valid then, from the history table.
  void handle_get_as_of(const Kind& k, http::Request& req, std::string rest_query, const std::string& as_of,
                        http::Reply reply);
  // GET /admin/history{collection}/{id}: every recorded version of one resource.
  void register_history_route(const Kind& k);
  void handle_post(const Kind& k, http::Request& req, http::Reply reply);
  void handle_patch(const Kind& k, http::Request& req, http::Reply reply);
  void handle_delete(const Kind& k, http::Request& req, http::Reply reply);
  // POST at a subtype's path: the body's @type is the subtype's (set when absent, 400 otherwise).
  void handle_subtype_post(const Kind& k, const Subtype& subtype, http::Request& req, http::Reply reply);
  void register_subtype_routes(const Kind& k, const Subtype& subtype);
  // The subtype's own event of change `which` (e.g. &EventNames::create) for a resource whose
  // @type is `type`: written when the kind declares such a subtype and it names that event.
  void emit_subtype_event(store::WriteTxn& txn, const Kind& k, std::string EventNames::*which, std::string_view type,
                          std::string_view body, const std::string& id, const RequestContext& context) const;

  std::string href_for(const Kind& k, std::string_view id) const;

  store::Database& db_;
  http::RouteRegistry& routes_;
  EngineOptions options_;
  std::map<std::string, std::unique_ptr<Kind>> kinds_;  // by collection path
  std::set<std::string> described_;
  std::function<void()> timers_changed_;
  std::set<std::string> action_paths_;  // {collection}/{name} of the actions served                     // base paths whose openapi.json is served
};

} // namespace tmfd::resource
