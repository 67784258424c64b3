#pragma once
// The resource engine as modules see it: declare kinds, and read or change resources in process
// (without HTTP) through the same rules the REST API applies.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tmfd/json.hpp>
#include <tmfd/resource_kind.hpp>

namespace tmfd {

struct StoredResource {
  std::string body;      // the resource as JSON text, exactly as served
  std::int64_t version;  // optimistic-concurrency version, served as the ETag
};

struct ListPage {
  std::vector<std::string> bodies;  // JSON text of each resource of the page
  std::size_t total = 0;            // matches before paging (X-Total-Count)
};

// Result of an in-process write, delivered once the change is committed (or refused).
struct WriteResult {
  int status = 0;            // HTTP status the same call over REST would have answered
  std::string body;          // the resource, or the TMF error body
  std::int64_t version = 0;
  std::string location;      // href of a created resource (the Location header)
};
using WriteCallback = std::function<void(WriteResult)>;

// Reads inside a write transaction (see ResourceHooks::check_in_transaction).
class TransactionReader {
public:
  virtual ~TransactionReader() = default;
  virtual std::optional<StoredResource> get(const std::string& collection_path, const std::string& id) = 0;
  // Resources of a collection matching a TMF630 filter query, e.g. "productSpecification.id=42".
  virtual std::size_t count(const std::string& collection_path, const std::string& query) = 0;
  // True for a federated reference: one whose href names another server (see
  // is_external_reference). Modules keep such references as sent and check nothing about them.
  virtual bool is_external(const json::object& reference) const = 0;
};

// True when `reference` ({"id", "href", ...}) points at another server than this tmfd: its href
// is an absolute URL (scheme://...) that does not start with `own_base_url`
// (server.public_base_url; when that is empty, tmfd writes relative hrefs, so every absolute
// href is another server's). A reference without href, or with a relative or own href, is local.
bool is_external_reference(const json::object& reference, std::string_view own_base_url);

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

  // Writes, with the REST rules (validation, lifecycle, events). The callback runs on the
  // writer thread after commit.
  virtual void create(const std::string& collection_path, json::object body,
                      std::string correlation_id, WriteCallback done) = 0;
  virtual void patch(const std::string& collection_path, const std::string& id,
                     json::object merge_patch, std::string correlation_id,
                     WriteCallback done) = 0;
  // Creates every entry in one transaction, in the order given, with the same checks, hooks and
  // events as POST; if any entry is refused, nothing is written and every refusal is reported.
  // The callback runs on the writer thread after commit or rollback.
  virtual void import(std::vector<ImportEntry> entries, std::string correlation_id,
                      std::function<void(ImportOutcome)> done) = 0;
};

} // namespace tmfd
