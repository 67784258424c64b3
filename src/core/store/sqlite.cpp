#include "store/sqlite.hpp"

#include <mutex>

#include <tmfd/log.hpp>

#include "store/fault_vfs.hpp"

namespace tmfd::store {

namespace {

[[noreturn]] void fault(int rc, const std::string& detail, int status, const char* code, const char* reason,
                        const char* message) {
  log::error("store", "storage fault", {{"code", rc}, {"error", detail}});
  throw StoreFault(status, code, reason, message, rc);
}

// Process-wide settings, made once before SQLite initialises (sqlite3_config refuses them later).
// Memory statistics are off: tmfd never reads them, and keeping them takes a global mutex on every
// allocation SQLite makes, about a tenth of the writer thread's time in a unit of work of plain
// creations (measured with perf).
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

} // namespace

void raise_sqlite(int rc, const std::string& detail) {
  switch (rc & 0xff) {
  case SQLITE_FULL:
    fault(rc, detail, 507, "INSUFFICIENT_STORAGE", "Insufficient storage",
          "the database's disk is full; the change was not applied");
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    fault(rc, detail, 503, "SERVICE_UNAVAILABLE", "Service unavailable",
          "the database is locked by another process; nothing was applied, try again");
  case SQLITE_IOERR:
  case SQLITE_READONLY:
  case SQLITE_CANTOPEN:
  case SQLITE_PROTOCOL:
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    fault(rc, detail, 503, "SERVICE_UNAVAILABLE", "Service unavailable",
          "the database cannot be read or written right now; nothing was applied, try again");
  case SQLITE_NOMEM:
    fault(rc, detail, 503, "SERVICE_UNAVAILABLE", "Service unavailable", "the server is out of memory; try again");
  default: throw SqliteError(detail, rc);
  }
}

void throw_sqlite(sqlite3* db, int rc, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  raise_sqlite(rc, msg);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) throw_sqlite(db, rc, "prepare '" + std::string(sql) + "'");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_sqlite(db_, rc, "step");
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::column_text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::int64_t Statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }

bool Statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Connection::Connection(const std::string& path, Mode mode, int busy_timeout_ms) {
  configure_sqlite_once();
  int flags = SQLITE_OPEN_NOMUTEX | (mode == Mode::ReadOnly
                                         ? SQLITE_OPEN_READONLY
                                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, fault_vfs_name());
  if (rc != SQLITE_OK) {
    std::string msg = "cannot open database '" + path + "'";
    if (db_) {
      msg += ": ";
      msg += sqlite3_errmsg(db_);
      sqlite3_close(db_);
      db_ = nullptr;
    }
    throw SqliteError(msg, rc);
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  cache_.clear();  // finalize statements before closing
  if (db_) sqlite3_close(db_);
}

void Connection::exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = "exec '" + text.substr(0, 120) + "': " + (err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    raise_sqlite(sqlite3_extended_errcode(db_), msg);
  }
}

void Connection::run_cached(const std::string& sql) {
  auto& st = prepare(sql);
  StatementUse use(st);
  st.step();
}

Statement& Connection::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return *it->second;
  auto stmt = std::make_unique<Statement>(db_, sql);
  auto& ref = *stmt;
  cache_.emplace(sql, std::move(stmt));
  return ref;
}

} // namespace tmfd::store
