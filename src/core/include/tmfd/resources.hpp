#pragma once
// The resource engine as modules see it: declare kinds, and read or change resources in process
// (without HTTP) through the same rules the REST API applies.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tmfd/context.hpp>
#include <tmfd/json.hpp>
#include <tmfd/resource_kind.hpp>
#include <tmfd/resource_reads.hpp>
#include <tmfd/unit_of_work.hpp>

namespace tmfd {

// One resource of a bulk import. `body` may carry its own "id" so that entries of the same import
// can refer to each other; without one the server assigns it.
struct ImportEntry {
  std::string collection_path;
  json::object body;
};

struct ImportOutcome {
  bool committed = false;            // all entries written, or none
  std::size_t created = 0;
  std::vector<std::string> errors;   // one line per refused entry: "entry 3 (individual): ..."
};

class Resources {
public:
  virtual ~Resources() = default;
  // Declares a kind: creates or upgrades its table and indexes, and serves its REST routes.
  virtual void add(ResourceKind kind, ResourceHooks hooks = {}) = 0;

  // Reads; `collection_path` is base_path + "/" + collection.
  virtual std::optional<StoredResource> get(const std::string& collection_path,
                                            const std::string& id) = 0;
  // `query` uses the TMF630 query syntax, e.g. "status=active&limit=10&fields=name"; the bodies
  // are projected as the REST list projects them.
  virtual ListPage list(const std::string& collection_path, const std::string& query) = 0;

  // Writes, with the REST rules (validation, lifecycle, events). The callback runs on a thread
  // of the store's after commit (and, with storage.synchronous full, once it is on disk).
  virtual void create(const std::string& collection_path, json::object body,
                      std::string correlation_id, WriteCallback done) = 0;
  virtual void patch(const std::string& collection_path, const std::string& id,
                     json::object merge_patch, std::string correlation_id,
                     WriteCallback done) = 0;
  // Creates every entry in one transaction, in the order given, with the same checks, hooks and
  // events as POST; if any entry is refused, nothing is written and every refusal is reported.
  // The callback runs on a thread of the store's after commit or rollback.
  virtual void import(std::vector<ImportEntry> entries, std::string correlation_id,
                      std::function<void(ImportOutcome)> done) = 0;

  // Runs `work` on the store's writer in one transaction: a unit of work (tmfd/unit_of_work.hpp).
  // `done` runs on a thread of the store's after the commit (with storage.synchronous full, once
  // it is on disk) or the rollback; it must not block.
  virtual void run(RequestContext context, std::function<void(UnitOfWork&)> work,
                   std::function<void(UnitOfWorkResult)> done) = 0;
  // Prepares a creation for UnitOfWork::create(const PreparedCreate&), on the calling thread (any
  // thread): what needs no stored state is done here instead of on the writer. Does not throw
  // for a body the kind refuses: the refusal is reported when the unit creates it. Throws
  // std::invalid_argument for an unknown collection.
  virtual PreparedCreate prepare_create(const std::string& collection_path, json::object body,
                                        const RequestContext& context, CreateOptions options = {}) = 0;
  // The same, waiting for the outcome: for a module's own threads. Throws std::logic_error when
  // called on the store's threads (from a hook or a done callback), which would wait for themselves.
  virtual UnitOfWorkResult run_and_wait(RequestContext context, std::function<void(UnitOfWork&)> work) = 0;

  // Serves POST {collection_path}/{id}/{action.name} for a kind declared before. Throws
  // std::invalid_argument for an unknown collection, a bad or duplicate name.
  virtual void add_action(const std::string& collection_path, ResourceAction action) = 0;
};

} // namespace tmfd
