// The Kafka adapter: publishes every event of the outbox (TMF events of every module, and events
// published to TMF688 topics) to Kafka topics, keyed by resource id, at least once and in commit
// order per partition. See docs/adapters/kafka.md.
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <tmfd/log.hpp>
#include <tmfd/plugin.hpp>

#include "producer.hpp"
#include "property_check.hpp"
#include "relay.hpp"
#include "relay_health.hpp"
#include "relay_metrics.hpp"
#include "settings.hpp"
#include "topic_routing.hpp"

namespace tmfd::kafka {

namespace {

constexpr const char* kTag = "kafka";

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

} // namespace

class KafkaModule final : public Module {
public:
  config::Schema config_schema() const override { return settings_schema(); }

  // Topic names, brokers and the properties librdkafka would refuse at start.
  void check_config(const json::object& config) const override {
    check_properties(producer_properties(parse_settings(config)));
  }

  void start(ModuleContext& ctx) override {
    const Settings settings = parse_settings(ctx.config());
    router_ = std::make_unique<TopicRouter>(settings.topic, settings.topics_by_domain, settings.topics_by_event_type);
    // The producer first: a property librdkafka refuses stops start-up before a cursor exists.
    std::vector<Property> properties = producer_properties(settings);
    auto producer = std::make_unique<Producer>(properties);
    metrics_ = std::make_unique<RelayMetrics>(ctx.metrics());
    auto health = std::make_shared<RelayHealth>();
    stream_ = ctx.open_event_stream(ctx.module_name(), settings.start_from);
    RelayOptions options;
    options.batch_size = settings.batch_size;
    options.max_events_in_flight = settings.max_events_in_flight;
    options.shutdown_timeout = std::chrono::milliseconds(settings.shutdown_timeout_ms);
    relay_ = std::make_unique<Relay>(
        *stream_, *router_, std::move(producer), [properties] { return std::make_unique<Producer>(properties); },
        options, *metrics_, health);
    ctx.add_health_check({ctx.module_name(), settings.required_for_readiness, [health] { return health->report(); }});

    std::vector<std::string> property_names;  // the names only: values may be secrets
    for (const auto& [name, value] : settings.properties) property_names.push_back(name);
    log::info(kTag, "started",
              {{"brokers", settings.brokers},
               {"topics", joined(router_->topics())},
               {"start_from", settings.start_from == StreamStart::Earliest ? "earliest" : "latest"},
               {"acks", settings.acks},
               {"batch_size", std::to_string(settings.batch_size)},
               {"max_events_in_flight", std::to_string(settings.max_events_in_flight)},
               {"properties", joined(property_names)}});
  }

  void serving(ModuleContext& /*ctx*/) override {
    thread_ = std::thread([relay = relay_.get()] { relay->run(); });
  }

  void stop() noexcept override {
    if (relay_) relay_->stop();
    // The relay waits at most 200 ms for the outbox and shutdown_timeout_ms for Kafka; the
    // stream is closed once it returned, so its last acknowledgement is stored.
    if (thread_.joinable()) thread_.join();
    try {
      if (stream_) stream_->close();
    } catch (const std::exception& e) {
      log::warn(kTag, "cannot close the event stream", {{"error", e.what()}});
    }
    if (relay_) {
      const RelayCounters& c = relay_->counters();
      log::info(kTag, "stopped", {{"events_published", std::to_string(c.events_published)},
                                  {"batches_failed", std::to_string(c.batches_failed)},
                                  {"last_sequence", std::to_string(c.last_sequence)}});
    }
    relay_.reset();  // destroys the producer
    stream_.reset();
  }

  ~KafkaModule() override { stop(); }

private:
  std::unique_ptr<TopicRouter> router_;
  std::unique_ptr<RelayMetrics> metrics_;  // references into the kernel's registry
  std::unique_ptr<EventStream> stream_;
  std::unique_ptr<Relay> relay_;
  std::thread thread_;
};

} // namespace tmfd::kafka

TMFD_PLUGIN("kafka", "0.1.0", tmfd::kafka::KafkaModule, {nullptr})
