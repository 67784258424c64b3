#pragma once
// The SQLite database: one writer connection driven by the WriteQueue, and one read-only
// connection per reading thread (created on first use), all in WAL mode so reads never wait for
// the writer.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tmfd/resources.hpp>

#include "query/list_query.hpp"
#include "store/sqlite.hpp"
#include "store/table_spec.hpp"
#include "store/wal_checkpointer.hpp"
#include "store/write_queue.hpp"

namespace tmfd::store {

struct DatabaseOptions {
  std::string path;
  bool synchronous_full = false;
  std::size_t max_group_size = 512;
  int busy_timeout_ms = 5000;
  // The log size, in pages, from which it is checkpointed (store/wal_checkpointer.hpp).
  int checkpoint_pages = 8000;
  // /health/ready reports the writer stuck when one group of writes takes longer than this.
  int stuck_writer_seconds = 30;
};

class Database {
public:
  // Throws SqliteError when the file cannot be opened, or when another process holds it.
  Database(DatabaseOptions options, observability::Metrics& metrics);
  ~Database();

  // Creates the table of a resource kind, or adds generated columns and indexes declared since.
  // Runs on the calling thread before the writer starts taking jobs.
  void ensure_table(const TableSpec& spec);
  // Applies a module's numbered migrations that have not run yet, each in its own transaction.
  void migrate(const std::string& module, const std::vector<std::string>& statements);

  void start_writer(WriteQueue::CommitListener on_commit);
  // Runs `fn` on the writer connection in its own transaction and waits for it: directly before
  // the writer thread starts, as a write job after. Rethrows what `fn` throws.
  void with_writer(const std::function<void(Connection&)>& fn);
  void submit(WriteJob job) { queue_.submit(std::move(job)); }
  void stop_writer() {
    queue_.stop();
    checkpointer_.stop();
  }
  // The highest outbox sequence on disk: see WriteQueue::durable_sequence.
  std::int64_t durable_sequence() const { return queue_.durable_sequence(); }

  // Reads the last committed state on this thread's reader connection.
  std::optional<StoredResource> get(const TableSpec& spec, std::string_view id);
  ListPage list(const TableSpec& spec, const query::ListQuery& query, std::size_t page_size);
  // Cheap liveness probe of the storage for /health/ready.
  bool ready();
  // The writer has been on one group of writes for longer than stuck_writer_seconds (e.g. waiting
  // for a lock another process holds): writes are not being committed.
  bool writer_stuck() const {
    return queue_.busy_for() > std::chrono::seconds(options_.stuck_writer_seconds);
  }
  // This thread's read-only connection (last committed state), for reads the methods above do
  // not cover (the outbox, hub subscriptions).
  Connection& reader();

private:

  DatabaseOptions options_;
  int lock_fd_ = -1;  // an exclusive lock on <path>.lock: one tmfd per database file
  std::uint64_t instance_id_;
  Connection writer_;
  WriteQueue queue_;
  WalCheckpointer checkpointer_;
  bool writer_started_ = false;
};

// Row operations usable inside a WriteJob (on the writer connection).
namespace rows {
std::optional<StoredResource> read(WriteTxn& txn, const TableSpec& spec, std::string_view id);
// `history_seq`: the seq of the version's row in tmfd_history (absent with history off).
void insert(WriteTxn& txn, const TableSpec& spec, std::string_view id, std::string_view body,
            std::optional<std::int64_t> history_seq);
void update(WriteTxn& txn, const TableSpec& spec, std::string_view id, std::string_view body,
            std::int64_t new_version, std::optional<std::int64_t> history_seq);
// The history seq of a resource's current version; absent when it has none (or no row).
std::optional<std::int64_t> history_seq(WriteTxn& txn, const TableSpec& spec, std::string_view id);
void remove(WriteTxn& txn, const TableSpec& spec, std::string_view id);
// Resources matching the query's filters, as seen inside the transaction.
std::size_t count(WriteTxn& txn, const TableSpec& spec, const query::ListQuery& query);
// A page of resources as seen inside the transaction (its own changes included).
ListPage list(WriteTxn& txn, const TableSpec& spec, const query::ListQuery& query, std::size_t page_size);
} // namespace rows

} // namespace tmfd::store
