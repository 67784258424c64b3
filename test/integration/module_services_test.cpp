// Module services and module commands through the real binary: the greeter test plugin publishes
// a service that greeting_user finds by name (neither links the other), and both add commands to
// `tmfd`. See test/plugins/greeter_plugin.cpp and greeting_user_plugin.cpp.
#include <catch2/catch.hpp>

#include <fstream>

#include "tmfd_process.hpp"

using namespace tmfd::test;
using Catch::Matchers::Contains;

namespace {

// A folder with a config that enables `modules` (YAML lines under modules:, indented).
struct Folder {
  std::string dir = make_temp_dir();
  std::string config = dir + "/tmfd.yaml";
  explicit Folder(const std::string& modules) {
    std::ofstream(config) << "server:\n  port: 0\nstorage:\n  path: " << dir << "/tmfd.db\n"
                          << "plugins:\n  directory: " TMFD_TEST_PLUGIN_DIR "\nmodules:\n"
                          << modules;
  }
  ~Folder() { remove_temp_dir(dir); }
  std::pair<int, std::string> tmfd(const std::string& args) const { return run_tmfd("--config '" + config + "' " + args); }
};

} // namespace

TEST_CASE("module services: a module finds the service another publishes", "[services]") {
  // greeting_user is listed first but depends on greeter, so greeter starts (and publishes) first.
  Folder f("  greeting_user: {}\n  greeter: {}\n");
  auto [rc, out] = f.tmfd("greet World");
  INFO(out);
  CHECK(rc == 0);
  CHECK_THAT(out, Contains("Hello, World!"));
}

TEST_CASE("module services: a service that is not published is not found", "[services]") {
  SECTION("find gives nothing; the module copes") {
    Folder f("  greeting_user: {}\n  greeter: {publish: false}\n");
    auto [rc, out] = f.tmfd("greet World");
    INFO(out);
    CHECK(rc == 3);
    CHECK_THAT(out, Contains("no greeter service is published"));
  }
  SECTION("get refuses, and tmfd does not start") {
    Folder f("  greeting_user: {require: true}\n  greeter: {publish: false}\n");
    auto [rc, out] = f.tmfd("greet World");
    INFO(out);
    CHECK(rc == 1);
    CHECK_THAT(out, Contains("a module failed to start: module 'greeting_user' needs service 'test.greeter', "
                             "which no module published"));
    CHECK_THAT(out, !Contains("Hello"));
  }
}

TEST_CASE("module services: a module may not use the service of a module it does not depend on", "[services]") {
  // greeter is listed first, so it would start first, but greeting_stranger does not say so.
  Folder f("  greeter: {}\n  greeting_stranger: {}\n");
  auto [rc, out] = f.tmfd("greet World");
  INFO(out);
  CHECK(rc == 1);
  CHECK_THAT(out, Contains("module 'greeting_stranger' uses service 'test.greeter' of module 'greeter' but does "
                           "not depend on it"));
}

TEST_CASE("module services: the server starts and stops with services published and used", "[services]") {
  TmfdOptions options;
  options.full_yaml = "server:\n  port: 0\nstorage:\n  path: $DIR/tmfd.db\n"
                      "plugins:\n  directory: " TMFD_TEST_PLUGIN_DIR "\n"
                      "modules:\n  greeting_user: {require: true}\n  greeter: {}\n";
  TmfdProcess tmfd(options);
  CHECK(tmfd.port() != 0);
  CHECK(tmfd.stop() == 0);
}

TEST_CASE("module commands: tmfd runs a module's command with its arguments and exit code", "[commands]") {
  Folder f("  greeter: {}\n");
  SECTION("arguments come through; tmfd's own options are taken out wherever they are") {
    auto [rc, out] = run_tmfd("hello one --config '" + f.config + "' two");
    INFO(out);
    CHECK(rc == 2);
    CHECK_THAT(out, Contains("hello from greeter: [one] [two]"));
  }
  SECTION("everything after -- is the command's") {
    auto [rc, out] = f.tmfd("hello -- --config x");
    INFO(out);
    CHECK(rc == 2);
    CHECK_THAT(out, Contains("hello from greeter: [--config] [x]"));
  }
  SECTION("no arguments") {
    auto [rc, out] = f.tmfd("hello");
    INFO(out);
    CHECK(rc == 0);
    CHECK_THAT(out, Contains("hello from greeter:"));
  }
}

TEST_CASE("module commands: an unknown command is refused with the known ones", "[commands]") {
  Folder f("  greeting_user: {}\n  greeter: {}\n");
  auto [rc, out] = f.tmfd("nosuch thing");
  INFO(out);
  CHECK(rc == 2);
  CHECK_THAT(out, Contains("tmfd: unknown command 'nosuch'; commands of the enabled modules: hello, greet"));
  // Refused before anything starts: no database was created.
  CHECK(read_text_file(f.dir + "/tmfd.db").empty());

  Folder none("  good: {}\n");
  auto [rc2, out2] = none.tmfd("import x.json");
  INFO(out2);
  CHECK(rc2 == 2);
  CHECK_THAT(out2, Contains("unknown command 'import'; commands of the enabled modules: none"));
}

TEST_CASE("module commands: --help lists the commands of the enabled modules", "[commands]") {
  Folder f("  greeting_user: {}\n  greeter: {}\n");
  auto [rc, out] = f.tmfd("--help");
  INFO(out);
  CHECK(rc == 0);
  CHECK_THAT(out, Contains("usage: tmfd"));
  CHECK_THAT(out, Contains("greet NAME"));
  CHECK_THAT(out, Contains("greet NAME through the greeter service (greeting_user)"));
  CHECK_THAT(out, Contains("print the words given, exit with their number (greeter)"));

  // Without a readable configuration, the usage still prints, and says why no command is listed.
  auto [rc2, out2] = run_tmfd("--help --config /nonexistent/tmfd.yaml");
  INFO(out2);
  CHECK(rc2 == 0);
  CHECK_THAT(out2, Contains("usage: tmfd"));
  CHECK_THAT(out2, Contains("Module commands are not listed"));
}
