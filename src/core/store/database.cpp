#include "store/database.hpp"

#include <future>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "observability/metrics.hpp"
#include "store/history_log.hpp"
#include "store/json_match.hpp"
#include "store/outbox_head.hpp"

namespace tmfd::store {

std::string json_path(const std::string& dotted) {
  std::string out = "$";
  std::size_t start = 0;
  for (;;) {
    auto dot = dotted.find('.', start);
    out += ".\"" + dotted.substr(start, dot - start) + "\"";
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

std::string TableSpec::column_for(const std::string& path) {
  // Attribute paths are validated to [A-Za-z0-9_@-] segments, so this mapping is injective.
  std::string col = "ix_";
  for (char c : path) {
    if (c == '.') col += "__";
    else if (c == '@') col += "_at_";
    else if (c == '-') col += "_h_";
    else col += c;
  }
  return col;
}

namespace {

std::atomic<std::uint64_t> next_instance_id{1};

void configure_connection(Connection& c) {
  c.exec("PRAGMA temp_store=MEMORY");
  c.exec("PRAGMA cache_size=-32000");  // 32 MiB page cache per connection
  c.exec("PRAGMA mmap_size=268435456");
  register_json_match(c.raw());
}

struct ThreadReaders {
  std::vector<std::pair<std::uint64_t, std::unique_ptr<Connection>>> connections;
};
thread_local ThreadReaders thread_readers;

// Two processes writing one SQLite file would each believe they are the only writer (and the
// only one delivering its outbox): refuse the second one.
int lock_database(const std::string& path) {
  const std::string lock_path = path + ".lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw SqliteError("cannot create " + lock_path + ": " + std::strerror(errno), SQLITE_CANTOPEN);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    throw SqliteError("database '" + path + "' is in use by another tmfd process (" + lock_path + " is locked)",
                      SQLITE_BUSY);
  }
  return fd;
}

} // namespace

Database::Database(DatabaseOptions options, observability::Metrics& metrics)
    : options_(std::move(options)), lock_fd_(lock_database(options_.path)), instance_id_(next_instance_id++),
      writer_(options_.path, Connection::Mode::ReadWrite, options_.busy_timeout_ms),
      queue_(writer_, options_.max_group_size, metrics),
      checkpointer_(options_.path, options_.busy_timeout_ms, options_.checkpoint_pages, metrics) {
  writer_.exec("PRAGMA journal_mode=WAL");
  // With synchronous full, SQLite does not sync inside COMMIT: the write queue's CommitSyncer
  // syncs the log after the commit, off the writer's path, before anything is acknowledged
  // (store/commit_syncer.hpp). Checkpoints (which sync the log first) keep SQLite's own syncs.
  writer_.exec("PRAGMA synchronous=NORMAL");
  // Checkpoints run on a thread of their own (store/wal_checkpointer.hpp), from this size on.
  checkpointer_.attach(writer_);
  configure_connection(writer_);
  writer_.exec(
      "CREATE TABLE IF NOT EXISTS tmfd_outbox("
      " seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, event_type TEXT NOT NULL,"
      " domain TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,"
      " correlation_id TEXT NOT NULL, payload TEXT NOT NULL,"
      " created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
      " topic TEXT NOT NULL DEFAULT '', principal TEXT NOT NULL DEFAULT '',"
      " internal INTEGER NOT NULL DEFAULT 0)");
  {
    // Databases written before TMF688 topics have no topic column.
    Statement has_topic(writer_.raw(), "SELECT 1 FROM pragma_table_info('tmfd_outbox') WHERE name='topic'");
    if (!has_topic.step()) writer_.exec("ALTER TABLE tmfd_outbox ADD COLUMN topic TEXT NOT NULL DEFAULT ''");
    // Databases written before request contexts and internal kinds have neither column.
    Statement has_principal(writer_.raw(), "SELECT 1 FROM pragma_table_info('tmfd_outbox') WHERE name='principal'");
    if (!has_principal.step()) {
      writer_.exec("ALTER TABLE tmfd_outbox ADD COLUMN principal TEXT NOT NULL DEFAULT ''");
      writer_.exec("ALTER TABLE tmfd_outbox ADD COLUMN internal INTEGER NOT NULL DEFAULT 0");
    }
  }
  writer_.exec(
      "CREATE TABLE IF NOT EXISTS tmfd_migrations("
      " module TEXT NOT NULL, version INTEGER NOT NULL,"
      " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
      " PRIMARY KEY(module, version))");
  history::ensure_table(writer_);
}

Database::~Database() {
  queue_.stop();
  checkpointer_.stop();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

void Database::ensure_table(const TableSpec& spec) {
  writer_.exec("CREATE TABLE IF NOT EXISTS \"" + spec.name +
               "\"(id TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL)");
  std::vector<std::string> existing;
  {
    Statement info(writer_.raw(), "SELECT name FROM pragma_table_xinfo(?)");
    info.bind(1, spec.name);
    while (info.step()) existing.emplace_back(info.column_text(0));
  }
  // The seq of the resource's current version in tmfd_history (store/history_log.hpp), so the
  // history table needs no index on live versions. Tables made before history have none yet.
  if (std::find(existing.begin(), existing.end(), "hseq") == existing.end())
    writer_.exec("ALTER TABLE \"" + spec.name + "\" ADD COLUMN hseq INTEGER");
  for (const auto& path : spec.indexed_paths) {
    auto col = TableSpec::column_for(path);
    if (std::find(existing.begin(), existing.end(), col) == existing.end()) {
      writer_.exec("ALTER TABLE \"" + spec.name + "\" ADD COLUMN \"" + col +
                   "\" TEXT GENERATED ALWAYS AS (json_extract(body, '" + json_path(path) +
                   "')) VIRTUAL");
    }
    writer_.exec("CREATE INDEX IF NOT EXISTS \"" + spec.name + "_" + col + "\" ON \"" +
                 spec.name + "\"(\"" + col + "\")");
  }
}

void Database::migrate(const std::string& module, const std::vector<std::string>& statements) {
  for (std::size_t i = 0; i < statements.size(); ++i) {
    auto version = static_cast<std::int64_t>(i + 1);
    Statement check(writer_.raw(), "SELECT 1 FROM tmfd_migrations WHERE module=? AND version=?");
    check.bind(1, module).bind(2, version);
    if (check.step()) continue;
    writer_.exec("BEGIN IMMEDIATE");
    try {
      writer_.exec(statements[i]);
      Statement done(writer_.raw(), "INSERT INTO tmfd_migrations(module, version) VALUES (?,?)");
      done.bind(1, module).bind(2, version);
      done.step();
      writer_.exec("COMMIT");
    } catch (...) {
      writer_.exec("ROLLBACK");
      throw;
    }
    log::info("store", "migration applied", {{"module", module}, {"version", version}});
  }
}

void Database::start_writer(WriteQueue::CommitListener on_commit) {
  // Statistics for the query planner, sampled (analysis_limit) so start-up stays fast on big files.
  writer_.exec("PRAGMA analysis_limit=1000");
  writer_.exec("ANALYZE");
  {
    // Everything in the outbox at start is on disk as far as anyone can tell.
    queue_.set_durable_sequence(outbox_head_sequence(writer_));
  }
  queue_.start(std::move(on_commit), options_.synchronous_full);
  writer_started_ = true;
}

void Database::with_writer(const std::function<void(Connection&)>& fn) {
  if (!writer_started_) {
    writer_.exec("BEGIN IMMEDIATE");
    try {
      fn(writer_);
      writer_.exec("COMMIT");
    } catch (...) {
      writer_.exec("ROLLBACK");
      throw;
    }
    return;
  }
  std::promise<void> finished;
  WriteJob job;
  job.run = [&fn](WriteTxn& txn) { fn(txn.connection()); };
  job.done = [&finished](std::exception_ptr error) {
    if (error)
      finished.set_exception(error);
    else
      finished.set_value();
  };
  auto result = finished.get_future();
  queue_.submit(std::move(job));
  result.get();
}

Connection& Database::reader() {
  for (auto& [id, conn] : thread_readers.connections)
    if (id == instance_id_) return *conn;
  std::unique_ptr<Connection> conn;
  try {
    conn = std::make_unique<Connection>(options_.path, Connection::Mode::ReadOnly, options_.busy_timeout_ms);
  } catch (const SqliteError& e) {
    // Opened on a thread's first read, long after start: a failing disk is a fault to answer
    // 503, not a start-up error.
    raise_sqlite(e.code(), e.what());
  }
  configure_connection(*conn);
  auto& ref = *conn;
  thread_readers.connections.emplace_back(instance_id_, std::move(conn));
  return ref;
}

std::optional<StoredResource> Database::get(const TableSpec& spec, std::string_view id) {
  auto& st = reader().prepare("SELECT body, version FROM \"" + spec.name + "\" WHERE id=?");
  StatementUse use(st);
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return StoredResource{std::string(st.column_text(0)), st.column_int(1)};
}

namespace {

// Builds the WHERE clause of a list query and the values to bind, in order.
struct SqlFilter {
  std::string where;
  std::vector<std::string> binds;
};

SqlFilter build_where(const TableSpec& spec, const query::ListQuery& q) {
  SqlFilter f;
  auto add_condition = [&f](const std::string& condition) {
    f.where += f.where.empty() ? " WHERE " : " AND ";
    f.where += condition;
  };
  std::vector<const query::Filter*> unindexed;
  for (const auto& filter : q.filters) {
    if (!spec.is_indexed(filter.path)) {
      unindexed.push_back(&filter);
      continue;
    }
    auto col = "\"" + TableSpec::column_for(filter.path) + "\"";
    if (filter.op == query::FilterOp::Eq) {
      std::string in = col + " IN (";
      for (std::size_t i = 0; i < filter.values.size(); ++i) in += i ? ",?" : "?";
      add_condition(in + ")");
    } else {
      static const char* ops[] = {"=", ">", ">=", "<", "<="};
      add_condition(col + " " + ops[static_cast<int>(filter.op)] + " ?");
    }
    for (const auto& v : filter.values) f.binds.push_back(v);
  }
  // Every filter on an attribute without a column goes to one tmf_match call: the document is
  // parsed once per row, whatever the number of filters and values.
  if (!unindexed.empty()) {
    add_condition("tmf_match(body, ?)");
    f.binds.push_back(filters_argument(unindexed));
  }
  return f;
}

} // namespace

namespace {

std::size_t count_on(Connection& conn, const TableSpec& spec, const SqlFilter& f) {
  Statement count(conn.raw(), "SELECT count(*) FROM \"" + spec.name + "\"" + f.where);
  int i = 1;
  for (const auto& b : f.binds) count.bind(i++, b);
  return count.step() ? static_cast<std::size_t>(count.column_int(0)) : 0;
}

} // namespace

namespace {

ListPage list_on(Connection& conn, const TableSpec& spec, const query::ListQuery& q, std::size_t page_size) {
  SqlFilter f = build_where(spec, q);
  const std::string table = "\"" + spec.name + "\"";
  ListPage page;
  page.total = count_on(conn, spec, f);
  std::size_t limit = q.limit ? std::min(*q.limit, page_size) : page_size;
  if (limit == 0 || q.offset >= page.total) return page;

  std::string sql = "SELECT body FROM " + table + f.where + " ORDER BY ";
  std::vector<std::string> binds = f.binds;
  for (const auto& key : q.sort) {
    if (spec.is_indexed(key.path)) {
      sql += "\"" + TableSpec::column_for(key.path) + "\"";
    } else {
      sql += "json_extract(body, ?)";
      binds.push_back(json_path(key.path));
    }
    sql += key.descending ? " DESC, " : " ASC, ";
  }
  sql += "rowid LIMIT ? OFFSET ?";
  Statement st(conn.raw(), sql);
  int i = 1;
  for (const auto& b : binds) st.bind(i++, b);
  st.bind(i++, static_cast<std::int64_t>(limit));
  st.bind(i, static_cast<std::int64_t>(q.offset));
  while (st.step()) page.bodies.emplace_back(st.column_text(0));
  return page;
}

} // namespace

ListPage Database::list(const TableSpec& spec, const query::ListQuery& q, std::size_t page_size) {
  return list_on(reader(), spec, q, page_size);
}

bool Database::ready() {
  try {
    auto& st = reader().prepare("SELECT count(*) FROM tmfd_migrations");
    StatementUse use(st);
    return st.step();
  } catch (const std::exception& e) {
    log::error("store", "readiness probe failed", {{"error", e.what()}});
    return false;
  }
}

namespace rows {

std::optional<StoredResource> read(WriteTxn& txn, const TableSpec& spec, std::string_view id) {
  auto& st = txn.connection().prepare("SELECT body, version FROM \"" + spec.name + "\" WHERE id=?");
  StatementUse use(st);
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return StoredResource{std::string(st.column_text(0)), st.column_int(1)};
}

void insert(WriteTxn& txn, const TableSpec& spec, std::string_view id, std::string_view body,
            std::optional<std::int64_t> history_seq) {
  auto& st = txn.connection().prepare("INSERT INTO \"" + spec.name +
                                      "\"(id, version, body, hseq) VALUES (?, 1, ?, ?)");
  StatementUse use(st);
  st.bind(1, id).bind(2, body);
  if (history_seq) st.bind(3, *history_seq);
  else st.bind_null(3);
  st.step();
}

void update(WriteTxn& txn, const TableSpec& spec, std::string_view id, std::string_view body,
            std::int64_t new_version, std::optional<std::int64_t> history_seq) {
  auto& st = txn.connection().prepare("UPDATE \"" + spec.name +
                                      "\" SET body=?, version=?, hseq=? WHERE id=?");
  StatementUse use(st);
  st.bind(1, body).bind(2, new_version);
  if (history_seq) st.bind(3, *history_seq);
  else st.bind_null(3);
  st.bind(4, id);
  st.step();
}

std::optional<std::int64_t> history_seq(WriteTxn& txn, const TableSpec& spec, std::string_view id) {
  auto& st = txn.connection().prepare("SELECT hseq FROM \"" + spec.name + "\" WHERE id=?");
  StatementUse use(st);
  st.bind(1, id);
  if (!st.step() || st.column_is_null(0)) return std::nullopt;
  return st.column_int(0);
}

void remove(WriteTxn& txn, const TableSpec& spec, std::string_view id) {
  auto& st = txn.connection().prepare("DELETE FROM \"" + spec.name + "\" WHERE id=?");
  StatementUse use(st);
  st.bind(1, id);
  st.step();
}

std::size_t count(WriteTxn& txn, const TableSpec& spec, const query::ListQuery& query) {
  return count_on(txn.connection(), spec, build_where(spec, query));
}

ListPage list(WriteTxn& txn, const TableSpec& spec, const query::ListQuery& query, std::size_t page_size) {
  return list_on(txn.connection(), spec, query, page_size);
}

} // namespace rows

} // namespace tmfd::store
