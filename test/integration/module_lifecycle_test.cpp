// Modules loaded by the real binary start in dependency order, stop in reverse, and get their
// migrations applied exactly once across restarts.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "database_access.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

TEST_CASE("modules start after their dependencies, stop in reverse, and migrate once") {
  const std::string trace = make_temp_dir() + "/trace.txt";
  setenv("TMFD_TEST_TRACE", trace.c_str(), 1);
  TmfdOptions options;
  // needs_good is listed first but depends on good.
  options.full_yaml = "server:\n  port: 0\nstorage:\n  path: $DIR/tmfd.db\n"
                      "plugins:\n  directory: " TMFD_TEST_PLUGIN_DIR "\n"
                      "modules:\n  needs_good: {}\n  good: {}\n";
  TmfdProcess tmfd(options);
  CHECK(read_text_file(trace) == "start good\nstart needs_good\n");
  tmfd.restart();
  CHECK(tmfd.stop() == 0);
  unsetenv("TMFD_TEST_TRACE");
  CHECK(read_text_file(trace) == "start good\nstart needs_good\nstop needs_good\nstop good\n"
                                 "start good\nstart needs_good\nstop needs_good\nstop good\n");

  ReadOnlyDb db(tmfd.database_path());
  CHECK(db.count("SELECT count(*) FROM good_notes") == 1);
  CHECK(db.count("SELECT count(*) FROM tmfd_migrations WHERE module='good'") == 2);
  CHECK(db.count("SELECT count(*) FROM tmfd_migrations WHERE module='needs_good'") == 2);
}
