// The plugin loader against real shared libraries, each wrong in one way.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "plugin/loader.hpp"

using tmfd::plugin::load_plugins;
using tmfd::plugin::PluginError;
using Catch::Matchers::Contains;

namespace {
const std::string kDir = TMFD_TEST_PLUGIN_DIR;

std::string load_error(const std::vector<std::string>& names) {
  try {
    load_plugins(kDir, names);
  } catch (const PluginError& e) {
    return e.what();
  }
  return "no error";
}
} // namespace

TEST_CASE("a well-formed plugin loads and creates its module") {
  auto plugins = load_plugins(kDir, {"good"});
  REQUIRE(plugins.size() == 1);
  CHECK(plugins[0]->name() == "good");
  CHECK(plugins[0]->version() == "1.0.0");
}

TEST_CASE("plugins come after their dependencies whatever the configured order") {
  auto plugins = load_plugins(kDir, {"needs_good", "good"});
  REQUIRE(plugins.size() == 2);
  CHECK(plugins[0]->name() == "good");
  CHECK(plugins[1]->name() == "needs_good");
}

TEST_CASE("the loader refuses each kind of bad plugin with a message naming it") {
  CHECK_THAT(load_error({"missing_one"}), Contains("plugin 'missing_one'") && Contains("not found"));
  CHECK_THAT(load_error({"no_entry"}), Contains("no tmfd_plugin_entry"));
  CHECK_THAT(load_error({"bad_abi"}), Contains("plugin 'bad_abi'") && Contains("ABI version 99"));
  CHECK_THAT(load_error({"bad_size"}), Contains("descriptor size"));
  CHECK_THAT(load_error({"bad_key"}), Contains("was built for 'gcc-0.0;boost-0;sdk-other'"));
  CHECK_THAT(load_error({"misnamed"}), Contains("declares the name 'another_name'"));
  CHECK_THAT(load_error({"needs_absent"}), Contains("plugin 'needs_absent'") && Contains("depends on 'absent'"));
  CHECK_THAT(load_error({"good", "good"}), Contains("enabled twice"));
  CHECK_THAT(load_error({"cycle_a", "cycle_b"}), Contains("dependency cycle"));
}

TEST_CASE("a library that is not a shared object is refused, not crashed on") {
  const std::string dir = "/tmp/tmfd-loader-test";
  std::system(("mkdir -p " + dir).c_str());
  std::ofstream(dir + "/tmfd_garbage.so") << "this is not an ELF file";
  try {
    load_plugins(dir, {"garbage"});
    FAIL("expected a refusal");
  } catch (const PluginError& e) {
    CHECK_THAT(e.what(), Contains("cannot load"));
  }
  std::system(("rm -rf " + dir).c_str());
}
