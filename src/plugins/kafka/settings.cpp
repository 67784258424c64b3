#include "settings.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace tmfd::kafka {

namespace {

using config::Field;
using config::Type;

Field text(const char* name, const char* description, json::value default_value = nullptr,
           std::vector<std::string> allowed = {}) {
  Field f;
  f.name = name;
  f.type = Type::String;
  f.description = description;
  f.default_value = std::move(default_value);
  f.allowed = std::move(allowed);
  return f;
}

Field integer(const char* name, const char* description, std::int64_t default_value, std::int64_t min,
              std::int64_t max) {
  Field f;
  f.name = name;
  f.type = Type::Integer;
  f.description = description;
  f.default_value = default_value;
  f.min = min;
  f.max = max;
  return f;
}

Field flag(const char* name, const char* description, bool default_value) {
  Field f;
  f.name = name;
  f.type = Type::Boolean;
  f.description = description;
  f.default_value = default_value;
  return f;
}

Field string_map(const char* name, const char* description, bool secret_values) {
  Field value;
  value.name = "value";
  value.type = Type::String;
  value.secret = secret_values;
  Field f;
  f.name = name;
  f.type = Type::Map;
  f.description = description;
  f.children = {std::move(value)};
  return f;
}

std::string string_at(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t integer_at(const json::object& o, const char* key, std::int64_t fallback) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : fallback;
}

bool boolean_at(const json::object& o, const char* key, bool fallback) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

std::map<std::string, std::string> map_at(const json::object& o, const char* key) {
  std::map<std::string, std::string> out;
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_object()) return out;
  for (const auto& [name, value] : v->get_object())
    if (value.is_string()) out.emplace(std::string(name), std::string(value.get_string()));
  return out;
}

// Kafka's rule for topic names: 1 to 249 characters out of [a-zA-Z0-9._-], not "." or "..".
void check_topic(const std::string& topic, const std::string& where) {
  const bool legal_chars = std::all_of(topic.begin(), topic.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (topic.empty() || topic.size() > 249 || !legal_chars || topic == "." || topic == "..")
    throw std::invalid_argument(where + ": '" + topic +
                                "' is not a valid Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)");
}

// Properties the plugin sets from keys of its own: naming them under `properties` as well would
// leave the operator guessing which one wins.
const std::vector<std::pair<std::string, std::string>>& owned_properties() {
  static const std::vector<std::pair<std::string, std::string>> owned = {
      {"bootstrap.servers", "brokers"},     {"metadata.broker.list", "brokers"},
      {"acks", "acks"},                     {"request.required.acks", "acks"},
      {"linger.ms", "linger_ms"},           {"queue.buffering.max.ms", "linger_ms"},
      {"compression.type", "compression"},  {"compression.codec", "compression"},
      {"delivery.timeout.ms", "delivery_timeout_ms"}, {"message.timeout.ms", "delivery_timeout_ms"},
      {"enable.idempotence", "acks"}};
  return owned;
}

} // namespace

config::Schema settings_schema() {
  Field brokers = text("brokers", "Kafka bootstrap servers, host:port[,host:port...]");
  brokers.required = true;
  return {
      std::move(brokers),
      text("topic", "topic of events no other rule routes", "tmfd.events"),
      string_map("topics_by_domain", "event domain (e.g. party) -> topic", false),
      string_map("topics_by_event_type", "eventType (e.g. IndividualDeleteEvent) -> topic; wins over the domain",
                 false),
      text("start_from", "where the plugin starts the first time it runs on a database", "latest",
           {"latest", "earliest"}),
      integer("batch_size", "events read from the outbox at a time", 1000, 1, 100000),
      integer("max_events_in_flight",
              "events produced and not yet acknowledged, at most (several batches; a crash resends at most these)",
              10000, 1, 1000000),
      text("acks", "all: written to every in-sync replica, idempotent; 1: the leader alone", "all", {"all", "1"}),
      integer("linger_ms", "how long the producer waits to fill a request", 5, 0, 900000),
      text("compression", "compression codec of produced batches", "none",
           {"none", "gzip", "snappy", "lz4", "zstd"}),
      integer("delivery_timeout_ms", "time a batch may take to be acknowledged before it is resent; 0: no limit",
              30000, 0, 2147483647),
      integer("shutdown_timeout_ms", "on stop, how long to wait for the events in flight", 5000, 0, 600000),
      flag("required_for_readiness", "true: /health/ready answers 503 while Kafka is unreachable or failing", false),
      string_map("properties", "other librdkafka properties (security.protocol, sasl.*, ssl.*); values are secret",
                 true),
  };
}

Settings parse_settings(const json::object& block) {
  Settings s;
  s.brokers = string_at(block, "brokers");
  if (s.brokers.find_first_not_of(" ,") == std::string::npos)
    throw std::invalid_argument("plugins.kafka.brokers: no broker given");
  s.topic = string_at(block, "topic");
  check_topic(s.topic, "plugins.kafka.topic");
  s.topics_by_domain = map_at(block, "topics_by_domain");
  for (const auto& [domain, topic] : s.topics_by_domain) check_topic(topic, "plugins.kafka.topics_by_domain." + domain);
  s.topics_by_event_type = map_at(block, "topics_by_event_type");
  for (const auto& [type, topic] : s.topics_by_event_type)
    check_topic(topic, "plugins.kafka.topics_by_event_type." + type);
  s.start_from = string_at(block, "start_from") == "earliest" ? StreamStart::Earliest : StreamStart::Latest;
  s.batch_size = static_cast<std::size_t>(integer_at(block, "batch_size", 1000));
  s.max_events_in_flight = static_cast<std::size_t>(integer_at(block, "max_events_in_flight", 10000));
  s.acks = string_at(block, "acks");
  s.linger_ms = static_cast<int>(integer_at(block, "linger_ms", 5));
  s.compression = string_at(block, "compression");
  s.delivery_timeout_ms = static_cast<int>(integer_at(block, "delivery_timeout_ms", 30000));
  s.shutdown_timeout_ms = static_cast<int>(integer_at(block, "shutdown_timeout_ms", 5000));
  s.required_for_readiness = boolean_at(block, "required_for_readiness", false);
  s.properties = map_at(block, "properties");
  for (const auto& [name, key] : owned_properties())
    if (s.properties.count(name))
      throw std::invalid_argument("plugins.kafka.properties." + name + ": set it with plugins.kafka." + key +
                                  " instead");
  return s;
}

std::vector<Property> producer_properties(const Settings& s) {
  const bool all = s.acks != "1";
  std::vector<Property> p = {
      {"client.id", "tmfd"},
      // The partition of a key is the one Java clients choose, so other producers and Kafka
      // Streams agree with the plugin on where a resource's events are.
      {"partitioner", "murmur2_random"},
      {"bootstrap.servers", s.brokers},
      // acks=all with idempotence: retries neither duplicate nor reorder within a partition.
      // acks=1 cannot be idempotent: one request in flight keeps the order across retries.
      {"enable.idempotence", all ? "true" : "false"},
      {"acks", all ? "all" : "1"},
      {"linger.ms", std::to_string(s.linger_ms)},
      {"compression.codec", s.compression},
      {"message.timeout.ms", std::to_string(s.delivery_timeout_ms)},
  };
  if (!all) p.push_back({"max.in.flight.requests.per.connection", "1"});
  for (const auto& [name, value] : s.properties) p.push_back({name, value, true});
  return p;
}

} // namespace tmfd::kafka
