#pragma once
// The kernel's table of resource versions (tmfd_history): one row per change, written by the
// engine in the transaction of the change itself, so a committed change always has its row and
// a refused or rolled-back one never does. It serves two readers:
// - data history: the version of a resource valid at a given time, and its list of versions;
// - the audit log: who changed what, when, under which correlation id (the JSON Patch of an
//   entry is computed when it is read, from the version before it).
// The writer pays one small insert per creation: the current version's body is the resource
// table's row, and is copied here only when a later change supersedes it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/list_query.hpp"
#include "store/sqlite.hpp"

namespace tmfd::store {

class WriteTxn;

namespace history {

// What the writer records for one change. Views: the strings live in the caller.
struct Change {
  std::int64_t at_ms = 0;           // the change's time (the resource's lastUpdate when it has one)
  std::string_view principal;       // RequestContext principal subject; may be empty
  std::string_view correlation_id;
  std::string_view api;
  std::string_view collection;      // the collection path, e.g. /tmf-api/party/v4/individual
  std::string_view resource_id;
  std::string_view type;            // the resource's @type
  std::int64_t version = 0;         // after the change; for a delete, the version deleted
  std::string_view operation;       // create, update, delete or an action's name
  bool creation = false;            // a new resource: there is no version to supersede
  bool internal = false;            // a kind not exposed over REST
  // The resource before the change (null for a creation): the version this change supersedes
  // gets it. The current version's body is not copied: it is the resource table's row.
  const std::string* previous_body = nullptr;
  // The seq of the version this change supersedes (the resource row's hseq); absent for a
  // creation, or when that version was not recorded (history was off).
  std::optional<std::int64_t> superseded_seq;
  bool deletion = false;
};

// One stored row.
struct Entry {
  std::int64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string principal, correlation_id, api, collection, resource_id, type, operation;
  std::int64_t version = 0;
  bool internal = false;
  // The version's body when it was superseded. Absent for a delete, and for the current
  // version of a live resource (`current`), whose body is the resource table's row.
  std::optional<std::string> body;
  bool current = false;
};

// Creates the table and its indexes (idempotent). On the writer connection, before writes.
void ensure_table(Connection& writer);

// Writes one change in the current transaction and returns its seq (the resource row's new
// hseq). An update or delete also marks the version it replaces as superseded (what retention
// prunes) and gives it its body.
std::int64_t record(WriteTxn& txn, const Change& change);

// The version of a resource valid at `at_ms`: the last change at or before it. Absent when the
// resource did not exist yet (or the history of then is pruned). A deletion when it was deleted
// then (no body, not current).
// `table`: the kind's resource table, whose hseq names the current version.
std::optional<Entry> version_at(Connection& reader, const std::string& table, std::string_view collection,
                                std::string_view id, std::int64_t at_ms);

// The recorded changes of one resource, oldest first.
std::vector<Entry> versions(Connection& reader, const std::string& table, std::string_view collection,
                            std::string_view id, std::size_t offset, std::size_t limit, std::size_t& total);

// The audit log: changes matching the query's filters, in seq order (or reverse with sort=-seq
// / -at). Filters name entry fields: seq, at, principal, correlationId, operation, resource.api,
// resource.collection, resource.id, resource.@type, resource.version. Throws ApiError 400 for
// others. `total` gets the number of matches (when non-null).
std::vector<Entry> entries(Connection& reader, const query::ListQuery& query, std::size_t limit,
                           std::size_t* total);

// The body of the version recorded before `seq` for the same resource (to compute an entry's
// patch); absent when there is none or it was a delete.
std::optional<std::string> body_before(Connection& reader, std::string_view collection, std::string_view id,
                                       std::int64_t seq);

// Deletes up to `batch` rows superseded before `horizon_ms` (versions replaced, and deletes
// themselves, older than the retention). The latest version of a live resource always stays, so
// reads as of any time within the retention keep their answer. Returns how many went.
std::size_t prune(Connection& writer, std::int64_t horizon_ms, std::size_t batch);

} // namespace history
} // namespace tmfd::store
