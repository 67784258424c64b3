#pragma once
// The plugin's block of tmfd.yaml: its schema, the settings read from it, and the librdkafka
// properties they turn into.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <tmfd/config_schema.hpp>
#include <tmfd/delivery.hpp>
#include <tmfd/json.hpp>

namespace tmfd::kafka {

struct Settings {
  std::string brokers;                                        // bootstrap.servers
  std::string topic;                                          // default topic
  std::map<std::string, std::string> topics_by_domain;        // event domain -> topic
  std::map<std::string, std::string> topics_by_event_type;    // eventType -> topic (wins)
  StreamStart start_from = StreamStart::Latest;
  std::size_t batch_size = 1000;
  std::size_t max_events_in_flight = 10000;
  std::string acks = "all";                                   // "all" or "1"
  int linger_ms = 5;
  std::string compression = "none";
  int delivery_timeout_ms = 30000;
  int shutdown_timeout_ms = 5000;
  bool required_for_readiness = false;                        // Kafka failing makes tmfd unready
  std::map<std::string, std::string> properties;              // passed through; values are secret
};

// One librdkafka configuration property; `secret` values never appear in logs or messages.
struct Property {
  std::string name;
  std::string value;
  bool secret = false;
};

config::Schema settings_schema();

// Reads the validated block (defaults applied by the kernel). Throws std::invalid_argument for
// what the schema cannot express: an empty broker list, an invalid topic name, a property that
// duplicates a key of its own.
Settings parse_settings(const json::object& block);

// The producer's properties: the plugin's fixed ones, then the settings, then `properties`.
std::vector<Property> producer_properties(const Settings& s);

} // namespace tmfd::kafka
