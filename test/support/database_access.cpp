#include "database_access.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

namespace tmfd::test {

ReadOnlyDb::ReadOnlyDb(const std::string& path) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    FAIL("cannot open " << path << ": " << msg);
  }
  sqlite3_busy_timeout(db_, 5000);
}

ReadOnlyDb::~ReadOnlyDb() { sqlite3_close(db_); }

std::vector<ReadOnlyDb::Row> ReadOnlyDb::query(const std::string& sql, const std::vector<std::string>& params) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
  if (rc != SQLITE_OK) FAIL("prepare '" << sql << "': " << sqlite3_errmsg(db_));
  for (std::size_t i = 0; i < params.size(); ++i)
    sqlite3_bind_text(st, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
  std::vector<Row> rows;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    Row row;
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
      row.push_back(text ? std::optional<std::string>(text) : std::nullopt);
    }
    rows.push_back(std::move(row));
  }
  const std::string err = sqlite3_errmsg(db_);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) FAIL("step '" << sql << "': " << err);
  return rows;
}

std::vector<std::vector<std::string>> ReadOnlyDb::text_rows(const std::string& sql,
                                                            const std::vector<std::string>& params) {
  std::vector<std::vector<std::string>> out;
  for (auto& row : query(sql, params)) {
    std::vector<std::string> texts;
    for (auto& value : row) texts.push_back(value.value_or(""));
    out.push_back(std::move(texts));
  }
  return out;
}

std::string ReadOnlyDb::scalar(const std::string& sql, const std::vector<std::string>& params) {
  auto rows = query(sql, params);
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].size() >= 1);
  return rows[0][0].value_or("NULL");
}

long long ReadOnlyDb::count(const std::string& sql, const std::vector<std::string>& params) {
  return std::stoll(scalar(sql, params));
}

WriteLock::WriteLock(const std::string& path) {
  REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_busy_timeout(db_, 5000);
  REQUIRE(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
}

void WriteLock::release() {
  if (db_) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }
}

} // namespace tmfd::test
