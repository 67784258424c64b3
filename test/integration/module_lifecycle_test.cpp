// Modules loaded by the real binary start in dependency order, stop in reverse, and get their
// migrations applied exactly once across restarts.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int count_rows(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

} // namespace

TEST_CASE("modules start after their dependencies, stop in reverse, and migrate once") {
  const std::string trace = make_temp_dir() + "/trace.txt";
  setenv("TMFD_TEST_TRACE", trace.c_str(), 1);
  TmfdOptions options;
  // needs_good is listed first but depends on good.
  options.full_yaml = "server:\n  port: 0\nstorage:\n  path: $DIR/tmfd.db\n"
                      "plugins:\n  directory: " TMFD_TEST_PLUGIN_DIR "\n"
                      "modules:\n  needs_good: {}\n  good: {}\n";
  TmfdProcess tmfd(options);
  CHECK(read_file(trace) == "start good\nstart needs_good\n");
  tmfd.restart();
  CHECK(tmfd.stop() == 0);
  unsetenv("TMFD_TEST_TRACE");
  CHECK(read_file(trace) == "start good\nstart needs_good\nstop needs_good\nstop good\n"
                            "start good\nstart needs_good\nstop needs_good\nstop good\n");

  CHECK(count_rows(tmfd.database_path(), "SELECT count(*) FROM good_notes") == 1);
  CHECK(count_rows(tmfd.database_path(), "SELECT count(*) FROM tmfd_migrations WHERE module='good'") == 2);
  CHECK(count_rows(tmfd.database_path(), "SELECT count(*) FROM tmfd_migrations WHERE module='needs_good'") == 2);
}
