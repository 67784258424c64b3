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

namespace tmfd::store {

class SqliteError : public std::runtime_error {
public:
  SqliteError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const noexcept { return code_; }

private:
  int code_;
};

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
