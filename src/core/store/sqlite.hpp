#pragma once
// Thin RAII wrappers over the SQLite C API, plus a per-connection cache of prepared statements
// (preparing a statement costs more than running a point read).
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include <tmfd/error.hpp>

namespace tmfd::store {

// A failure that is a bug or a broken invariant (malformed SQL, a constraint): answered 500.
class SqliteError : public std::runtime_error {
public:
  SqliteError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const noexcept { return code_; }

private:
  int code_;
};

// A failure of the storage underneath, not of the request: the disk is full (507), the database
// is locked by another process, an I/O error, memory ran out (503 with Retry-After). The
// message a client sees names the condition only; the SQLite detail goes to the log.
class StoreFault : public ApiError {
public:
  StoreFault(int status, std::string code, std::string reason, std::string message, int sqlite_code)
      : ApiError(status, std::move(code), std::move(reason), std::move(message)), sqlite_code_(sqlite_code) {}
  int sqlite_code() const noexcept { return sqlite_code_; }

private:
  int sqlite_code_;
};

// Throws StoreFault for the result codes of a storage fault (logging `detail`), SqliteError for
// any other.
[[noreturn]] void raise_sqlite(int rc, const std::string& detail);

// A prepared statement, reset on destruction of the Bound guard so the cached statement can be
// reused by the next caller.
class Statement {
public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  // Steps once: true when a row is available, false when done. Throws SqliteError otherwise.
  bool step();
  void reset() noexcept;

  std::string_view column_text(int col) const;
  std::int64_t column_int(int col) const;
  bool column_is_null(int col) const;
  sqlite3_stmt* raw() const noexcept { return stmt_; }

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when it leaves scope, whether the caller finished stepping or not.
class StatementUse {
public:
  explicit StatementUse(Statement& s) : s_(s) {}
  ~StatementUse() { s_.reset(); }
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

private:
  Statement& s_;
};

class Connection {
public:
  enum class Mode { ReadWrite, ReadOnly };
  Connection(const std::string& path, Mode mode, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(std::string_view sql);
  // Runs one statement without results through the statement cache: for the transaction
  // control statements the writer runs several times per group.
  void run_cached(const std::string& sql);
  // A cached prepared statement for this SQL text; valid as long as the connection.
  Statement& prepare(const std::string& sql);
  sqlite3* raw() const noexcept { return db_; }

private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view context);

} // namespace tmfd::store
