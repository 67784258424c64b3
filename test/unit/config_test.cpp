// Unit tests of the tmfd.yaml loader and the core schema: the messages matter as much as the
// values, since the operator only sees the message when start-up is refused.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <unistd.h>

#include "config/config_loader.hpp"
#include "config/core_schema.hpp"

using namespace tmfd;
using namespace tmfd::config;

namespace {

ConfigDocument doc(const std::string& yaml) { return ConfigDocument::load_string(yaml, "cfg.yaml"); }

json::object root(const std::string& yaml) { return doc(yaml).validate("", core_schema()); }

// The message of the ConfigError thrown by `f`, or "" (which then fails the CHECKs on it).
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string root_error(const std::string& yaml) {
  return error_of([&] { root(yaml); });
}

const json::value& at(const json::object& o, std::string_view path) {
  const json::value* v = find_path(o, path);
  if (!v) throw std::runtime_error("no value at " + std::string(path));
  return *v;
}

Field field(std::string name, Type type) {
  Field f;
  f.name = std::move(name);
  f.type = type;
  return f;
}

// A module's own schema, as a module library would return it.
Schema party_schema() {
  Field page = field("page_size", Type::Integer);
  page.default_value = 20;
  page.min = 1;
  Field url = field("url", Type::String);
  url.required = true;
  Field token = field("token", Type::String);
  token.secret = true;
  return {page, url, token, field("tags", Type::StringList)};
}

} // namespace

TEST_CASE("an empty file gets every core default") {
  const json::object cfg = root("");
  CHECK(at(cfg, "server.host") == "127.0.0.1");
  CHECK(at(cfg, "server.port") == 8080);
  CHECK(at(cfg, "server.threads") == 2);
  CHECK(at(cfg, "server.max_body_bytes") == 1048576);
  CHECK(at(cfg, "server.allow_unauthenticated_remote") == false);
  CHECK(find_path(cfg, "server.public_base_url") == nullptr);
  CHECK(at(cfg, "storage.path") == "tmfd.db");
  CHECK(at(cfg, "storage.synchronous") == "full");
  CHECK(at(cfg, "storage.max_group_size") == 512);
  CHECK(at(cfg, "logging.level") == "info");
  CHECK(at(cfg, "logging.format") == "text");
  CHECK(at(cfg, "logging.access_log") == true);
  CHECK(find_path(cfg, "logging.file") == nullptr);
  CHECK(at(cfg, "resources.default_page_size") == 100);
  CHECK(at(cfg, "resources.max_page_size") == 1000);
  CHECK(at(cfg, "plugins.directory") == "plugins");
  CHECK(at(cfg, "modules").as_object().empty());
}

TEST_CASE("given values replace defaults, the others stay") {
  const json::object cfg = root("server:\n  port: 9090\n  host: 0.0.0.0\nlogging:\n  level: debug\n");
  CHECK(at(cfg, "server.port") == 9090);
  CHECK(at(cfg, "server.host") == "0.0.0.0");
  CHECK(at(cfg, "server.threads") == 2);
  CHECK(at(cfg, "logging.level") == "debug");
  CHECK(at(cfg, "logging.format") == "text");
}

TEST_CASE("an empty block or value counts as absent") {
  const json::object cfg = root("server:\nstorage:\n  path: ~\n");
  CHECK(at(cfg, "server.port") == 8080);
  CHECK(at(cfg, "storage.path") == "tmfd.db");
}

TEST_CASE("an unknown key names file, line, key path and the allowed keys") {
  const std::string msg = root_error("server:\n  port: 80\n  prot: 81\n");
  CHECK_THAT(msg, Catch::StartsWith("cfg.yaml:3: server.prot: unknown key"));
  CHECK_THAT(msg, Catch::Contains("allowed: host, port, threads"));

  CHECK_THAT(root_error("serverr:\n  port: 80\n"),
             Catch::StartsWith("cfg.yaml:1: serverr: unknown key (allowed: server, storage"));
}

TEST_CASE("a wrong type is reported with the value found") {
  CHECK(root_error("server:\n  port: abc\n") == "cfg.yaml:2: server.port: expected integer, got 'abc'");
  CHECK(root_error("server:\n  port: 80.5\n") ==
        "cfg.yaml:2: server.port: expected integer, got '80.5'");
  CHECK(root_error("logging:\n  access_log: yes\n") ==
        "cfg.yaml:2: logging.access_log: expected boolean (true or false), got 'yes'");
  CHECK(root_error("server:\n  host: [a, b]\n") ==
        "cfg.yaml:2: server.host: expected string, got a sequence");
  CHECK(root_error("server: 8080\n") == "cfg.yaml:1: server: expected a mapping, got '8080'");
  CHECK(root_error("- a\n- b\n") == "cfg.yaml:1: (root): expected a mapping, got a sequence");
}

TEST_CASE("numbers are parsed strictly") {
  Field ratio = field("ratio", Type::Number);
  ratio.min = 0;
  ratio.max = 1;
  const Schema schema{ratio};
  CHECK(at(doc("ratio: 0.25\n").validate("", schema), "ratio") == 0.25);
  CHECK(at(doc("ratio: 1\n").validate("", schema), "ratio") == 1.0);
  CHECK_THAT(error_of([&] { doc("ratio: nan\n").validate("", schema); }),
             Catch::Contains("expected number, got 'nan'"));
  CHECK_THAT(error_of([&] { doc("ratio: 1.5\n").validate("", schema); }),
             Catch::Contains("ratio: 1.5 is out of range (must be between 0 and 1)"));
}

TEST_CASE("a missing required key is reported at its parent's line") {
  Field url = field("url", Type::String);
  url.required = true;
  const Schema schema{field("name", Type::String), field("db", Type::Object)};
  Schema with_db = schema;
  with_db[1].children = {url};
  CHECK(error_of([&] { doc("url: ~\n").validate("", Schema{url}); }) ==
        "cfg.yaml:1: url: missing required key");
  CHECK(error_of([&] { doc("").validate("", Schema{url}); }) == "cfg.yaml: url: missing required key");
  // A misspelt key is the likely cause of the missing one, so it is reported first.
  CHECK(error_of([&] { doc("name: x\nulr: y\n").validate("", Schema{url}); }) ==
        "cfg.yaml:1: name: unknown key (allowed: url)");
  CHECK(error_of([&] { doc("name: x\ndb:\n  url:\n").validate("", with_db); }) ==
        "cfg.yaml:3: db.url: missing required key");
  CHECK(error_of([&] { doc("name: x\n").validate("", with_db); }) ==
        "cfg.yaml:1: db.url: missing required key");
}

TEST_CASE("integers outside min/max are refused") {
  CHECK(root_error("server:\n  port: 70000\n") ==
        "cfg.yaml:2: server.port: 70000 is out of range (must be between 0 and 65535)");
  CHECK_THAT(root_error("server:\n  threads: 0\n"), Catch::Contains("server.threads: 0 is out of range"));
  CHECK_THAT(root_error("resources:\n  max_page_size: -1\n"),
             Catch::Contains("must be at least 1"));
  CHECK(at(root("server:\n  port: 0\n"), "server.port") == 0);
  CHECK(at(root("server:\n  port: 65535\n"), "server.port") == 65535);
}

TEST_CASE("strings outside the allowed values are refused") {
  CHECK(root_error("logging:\n  level: verbose\n") ==
        "cfg.yaml:2: logging.level: 'verbose' is not one of: trace, debug, info, warning, error");
  CHECK_THAT(root_error("storage:\n  synchronous: off\n"), Catch::Contains("normal, full"));
  CHECK(at(root("storage:\n  synchronous: full\n"), "storage.synchronous") == "full");
}

TEST_CASE("${VAR} in strings is replaced from the environment") {
  ::setenv("TMFD_TEST_HOST", "10.0.0.7", 1);
  ::setenv("TMFD_TEST_DIR", "/var/lib/tmfd", 1);
  const json::object cfg =
      root("server:\n  host: ${TMFD_TEST_HOST}\nstorage:\n  path: \"${TMFD_TEST_DIR}/db-${TMFD_TEST_HOST}\"\n");
  CHECK(at(cfg, "server.host") == "10.0.0.7");
  CHECK(at(cfg, "storage.path") == "/var/lib/tmfd/db-10.0.0.7");

  ::setenv("TMFD_TEST_LEVEL", "debug", 1);
  CHECK(at(root("logging:\n  level: ${TMFD_TEST_LEVEL}\n"), "logging.level") == "debug");
  ::setenv("TMFD_TEST_LEVEL", "loud", 1);
  CHECK_THAT(root_error("logging:\n  level: ${TMFD_TEST_LEVEL}\n"),
             Catch::Contains("'loud' is not one of"));
}

TEST_CASE("an unset variable names the variable and the key") {
  ::unsetenv("TMFD_TEST_UNSET");
  CHECK(root_error("storage:\n  path: /x/${TMFD_TEST_UNSET}\n") ==
        "cfg.yaml:2: storage.path: environment variable TMFD_TEST_UNSET is not set");
  CHECK_THAT(root_error("storage:\n  path: ${TMFD_TEST_UNSET\n"), Catch::Contains("unterminated ${"));
  CHECK_THAT(root_error("storage:\n  path: ${1X}\n"),
             Catch::Contains("invalid environment variable reference"));
}

TEST_CASE("$${ is a literal ${ and a lone $ stays") {
  ::setenv("TMFD_TEST_HOST", "h", 1);
  CHECK(at(root("storage:\n  path: a$${HOME}b$c${TMFD_TEST_HOST}\n"), "storage.path") ==
        "a${HOME}b$ch");
}

TEST_CASE("secret values never appear in messages") {
  Field token = field("token", Type::String);
  token.secret = true;
  token.allowed = {"a", "b"};
  const std::string msg = error_of([&] { doc("token: hunter2\n").validate("", Schema{token}); });
  CHECK_THAT(msg, Catch::Contains("token: '***' is not one of"));
  CHECK_THAT(msg, !Catch::Contains("hunter2"));

  Field pin = field("pin", Type::Integer);
  pin.secret = true;
  const std::string pin_msg = error_of([&] { doc("pin: 12ab\n").validate("", Schema{pin}); });
  CHECK_THAT(pin_msg, !Catch::Contains("12ab"));
}

TEST_CASE("Map values and StringList items are validated") {
  Field limit = field("", Type::Integer);
  limit.max = 10;
  Field limits = field("limits", Type::Map);
  limits.children = {limit};
  const Schema schema{limits, field("names", Type::StringList)};

  const json::object ok = doc("limits:\n  a: 1\n  b: 2\nnames: [x, 'y', 3]\n").validate("", schema);
  CHECK(at(ok, "limits.a") == 1);
  CHECK(at(ok, "names").as_array().size() == 3);
  CHECK(at(ok, "names").as_array()[2] == "3");

  CHECK(error_of([&] { doc("limits:\n  a: 1\n  b: 20\n").validate("", schema); }) ==
        "cfg.yaml:3: limits.b: 20 is out of range (must be at most 10)");
  CHECK(error_of([&] { doc("limits:\n  a:\n").validate("", schema); }) ==
        "cfg.yaml:2: limits.a: missing value");
  CHECK(error_of([&] { doc("names:\n  - x\n  - {k: v}\n").validate("", schema); }) ==
        "cfg.yaml:3: names[1]: expected a string, got a mapping");
  CHECK(error_of([&] { doc("names: x\n").validate("", schema); }) ==
        "cfg.yaml:1: names: expected a list of strings, got 'x'");
}

TEST_CASE("duplicate keys and several documents are refused") {
  CHECK(root_error("server:\n  port: 1\n  port: 2\n") ==
        "cfg.yaml:3: server.port: duplicate key (first at line 2)");
  CHECK(error_of([] { doc("a: 1\n---\nb: 2\n"); }) == "cfg.yaml:2: expected one YAML document, found more");
}

// yaml-cpp 0.7's LoadAll looped forever (allocating) on these; found by fuzz_config.
TEST_CASE("malformed YAML that once hung the loader is a syntax error") {
  for (const char* text : {",", ",sto:88raeg}/x\xfb" "b\n", "}", "a: 1\n,\n", "- a\n,\n"}) {
    INFO(text);
    CHECK_THAT(error_of([&] { doc(text); }), Catch::Contains("YAML syntax error"));
  }
}

TEST_CASE("module and plugin blocks pass root validation with only `enabled` checked") {
  const std::string yaml = "modules:\n"
                           "  party:\n"
                           "    enabled: false\n"
                           "    page_size: 5\n"
                           "    anything: {nested: [1, 2]}\n"
                           "  billing:\n"
                           "plugins:\n"
                           "  directory: /opt/tmfd/plugins\n"
                           "  kafka:\n"
                           "    brokers: [b1]\n";
  const json::object cfg = root(yaml);
  CHECK(at(cfg, "modules.party").as_object() == json::object{{"enabled", false}});
  CHECK(at(cfg, "modules.billing").as_object() == json::object{{"enabled", true}});
  CHECK(at(cfg, "plugins.directory") == "/opt/tmfd/plugins");
  CHECK(at(cfg, "plugins.kafka.enabled") == true);
  CHECK(block_names(cfg, "modules") == std::vector<std::string>{"party", "billing"});
  CHECK(block_names(cfg, "plugins") == std::vector<std::string>{"kafka"});
  CHECK(doc(yaml).keys_at("modules") == std::vector<std::string>{"party", "billing"});
  CHECK(doc(yaml).keys_at("nothing.here").empty());
  CHECK_THAT(error_of([&] { doc(yaml).keys_at("plugins.directory"); }),
             Catch::Contains("cfg.yaml:8: plugins.directory: expected a mapping"));
}

TEST_CASE("root validation still checks the shape of each block") {
  CHECK(root_error("modules:\n  party:\n    enabled: maybe\n") ==
        "cfg.yaml:3: modules.party.enabled: expected boolean (true or false), got 'maybe'");
  CHECK(root_error("modules:\n  party: 5\n") ==
        "cfg.yaml:2: modules.party: expected a mapping, got '5'");
  CHECK(root_error("plugins:\n  kafka: [a]\n") ==
        "cfg.yaml:2: plugins.kafka: expected a mapping, got a sequence");
  CHECK(root_error("modules: [party]\n") ==
        "cfg.yaml:1: modules: expected a mapping, got a sequence");
}

TEST_CASE("a module block is then validated with the module's own schema") {
  ::setenv("TMFD_TEST_TOKEN", "s3cret", 1);
  const ConfigDocument d = doc("modules:\n"
                               "  party:\n"
                               "    page_size: 5\n"
                               "    url: http://x\n"
                               "    token: ${TMFD_TEST_TOKEN}\n"
                               "  billing:\n"
                               "    enabled: false\n"
                               "    bogus: 1\n"
                               "plugins:\n"
                               "  kafka:\n"
                               "    url: http://k\n");
  const Schema party = module_block_schema(party_schema());
  const json::object cfg = d.validate("modules.party", party);
  CHECK(cfg.at("enabled") == true);
  CHECK(cfg.at("page_size") == 5);
  CHECK(cfg.at("url") == "http://x");
  CHECK(cfg.at("token") == "s3cret");
  CHECK(!cfg.contains("tags"));

  CHECK_THAT(error_of([&] { d.validate("modules.billing", party); }),
             Catch::StartsWith("cfg.yaml:8: modules.billing.bogus: unknown key (allowed: enabled, "
                               "page_size, url, token, tags)"));
  CHECK(d.validate("plugins.kafka", party).at("url") == "http://k");
  // A module that is not in the file validates as an empty block.
  CHECK(error_of([&] { d.validate("modules.absent", party); }) ==
        "cfg.yaml:1: modules.absent.url: missing required key");
  CHECK(d.validate("modules.absent", module_block_schema({})) == json::object{{"enabled", true}});
  CHECK_THROWS_AS(module_block_schema({field("enabled", Type::Boolean)}), std::invalid_argument);
}

TEST_CASE("YAML syntax errors name the line") {
  CHECK_THAT(error_of([] { doc("server:\n  port: [80\nlogging: {}\n"); }),
             Catch::StartsWith("cfg.yaml:3: YAML syntax error: "));
  CHECK_THAT(error_of([] { doc("server:\n  port: 80\n   host: x\n"); }),
             Catch::StartsWith("cfg.yaml:3: YAML syntax error: "));
}

TEST_CASE("load_file reads a file and names it in messages") {
  const std::string path = "/tmp/tmfd_config_test_" + std::to_string(::getpid()) + ".yaml";
  {
    std::ofstream out(path);
    out << "server:\n  port: 1234\n  nope: 1\n";
  }
  const ConfigDocument d = ConfigDocument::load_file(path);
  CHECK(d.file_name() == path);
  CHECK_THAT(error_of([&] { d.validate("", core_schema()); }),
             Catch::StartsWith(path + ":3: server.nope: unknown key"));
  std::remove(path.c_str());

  CHECK_THAT(error_of([&] { ConfigDocument::load_file(path); }),
             Catch::StartsWith(path + ": cannot read"));
  CHECK_THAT(error_of([] { ConfigDocument::load_file("/tmp"); }),
             Catch::StartsWith("/tmp: cannot read"));
}
