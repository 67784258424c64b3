// `tmfd --check-config` refuses every config the start refuses, with the same FILE:LINE message:
// values the schema accepts but the start could not use (an allow-list entry, a CA file, a Kafka
// topic name or property, a module's file).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <string>

#include "tmfd_process.hpp"

using namespace tmfd::test;
using Catch::Matchers::Contains;

namespace {

struct Case {
  const char* name;
  std::string yaml;      // added to the default test config
  std::string key;       // the text on the line the message must name
  std::string message;   // what both must say, after "FILE:LINE: "
};

// 1-based number of the first line of `text` holding `needle`.
int line_holding(const std::string& text, const std::string& needle) {
  const auto pos = text.find(needle);
  REQUIRE(pos != std::string::npos);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

std::string config_with(const std::string& dir) { return TmfdProcess::default_yaml(dir, true); }

} // namespace

TEST_CASE("the config check refuses what the start refuses, with the same FILE:LINE message", "[config][check]") {
  const std::string dir = make_temp_dir();
  const Case cases[] = {
      {"an allow-list entry that is no CIDR", "delivery:\n  allowed_callbacks: [\"10.0.0.0/33\"]\n",
       "allowed_callbacks:", "delivery.allowed_callbacks: '10.0.0.0/33' is not an IPv4 CIDR"},
      {"an unreadable CA file", "delivery:\n  ca_file: " + dir + "/none.pem\n", "ca_file:",
       "delivery.ca_file: cannot read '" + dir + "/none.pem'"},
      {"a Kafka topic name Kafka refuses",
       "  kafka:\n    enabled: true\n    brokers: localhost:9092\n    topic: \"bad topic!\"\n", "topic:",
       "plugins.kafka.topic: 'bad topic!' is not a valid Kafka topic name"},
      {"a Kafka property librdkafka refuses",
       "  kafka:\n    enabled: true\n    brokers: localhost:9092\n    properties:\n      acks: banana\n", "acks:",
       "plugins.kafka.properties.acks: "},
      {"a demo catalog that cannot be read", "  catalog:\n    enabled: true\n    demo_catalog: " + dir + "/none.json\n",
       "demo_catalog:", "modules.catalog.demo_catalog: cannot read '" + dir + "/none.json'"},
  };
  for (const auto& k : cases) {
    INFO(k.name);
    std::string yaml = config_with(dir);
    // A plugin block goes under plugins: (after its directory line); the rest at the end, where
    // the default config's modules: block stands.
    if (k.yaml.rfind("  kafka:", 0) == 0)
      yaml.insert(yaml.find('\n', yaml.find("  directory: ")) + 1, k.yaml);
    else
      yaml += k.yaml;
    const std::string file = dir + "/tmfd.yaml";
    std::ofstream(file) << yaml;
    auto [check_rc, check_out] = run_tmfd("--check-config --config " + file);
    CHECK(check_rc == 2);
    CHECK_THAT(check_out, Contains("tmfd: configuration error: " + file + ":" +
                                   std::to_string(line_holding(yaml, k.key)) + ": " + k.message));
    auto [start_rc, start_out] = run_tmfd("--config " + file);
    CHECK(start_rc == 2);
    CHECK(start_out == check_out);
  }
  remove_temp_dir(dir);
}
