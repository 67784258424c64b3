#pragma once
// Direct access to the SQLite file of a tmfd under test, with the SQLite C API: a read-only
// connection to look at what the server stored, and a write lock to make its writer wait.
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace tmfd::test {

// A read-only connection to a tmfd database (never changes it); failures FAIL the test.
class ReadOnlyDb {
public:
  explicit ReadOnlyDb(const std::string& path);
  ~ReadOnlyDb();
  ReadOnlyDb(const ReadOnlyDb&) = delete;
  ReadOnlyDb& operator=(const ReadOnlyDb&) = delete;

  using Row = std::vector<std::optional<std::string>>;

  // Runs a query with text parameters and returns every row as text (NULL as nullopt).
  std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params = {});

  // Like query(), with NULL as "".
  std::vector<std::vector<std::string>> text_rows(const std::string& sql, const std::vector<std::string>& params = {});

  // The first column of the query's one row (REQUIREd), "NULL" for NULL.
  std::string scalar(const std::string& sql, const std::vector<std::string>& params = {});

  // scalar() as a number, for count(*) and the like.
  long long count(const std::string& sql, const std::vector<std::string>& params = {});

private:
  sqlite3* db_ = nullptr;
};

// A read-write connection of the test's own that holds the database's write lock (BEGIN
// IMMEDIATE) until release() or destruction: tmfd's writer thread waits on it (busy timeout), so
// writes queue up behind it and a request stays "in flight" for as long as the test wants.
class WriteLock {
public:
  explicit WriteLock(const std::string& path);
  // Rolls back and closes the connection (once).
  void release();
  ~WriteLock() { release(); }
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

private:
  sqlite3* db_ = nullptr;
};

} // namespace tmfd::test
