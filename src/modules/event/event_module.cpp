// The event module: TMF688 Event v4 on the kernel's resource engine and hub delivery.
//   {base}/topic                    topics (list, create, get, delete), with TopicCreateEvent and
//                                   TopicDeleteEvent
//   {base}/topic/{id}/event         events published to a topic (topic_event_routes.cpp)
//   {base}/topic/{topicId}/hub      hubs on a topic: the topic's events, through its filters
//   {base}/hub                      the central hub: every event of every module, topics included
// The module has no keys of its own besides `enabled`.
#include <optional>

#include <tmfd/log.hpp>
#include <tmfd/plugin.hpp>

#include "event_kinds.hpp"
#include "topic_filter.hpp"

namespace tmfd::event {

class EventModule final : public Module {
public:
  void start(ModuleContext& ctx) override {
    Resources& resources = ctx.resources();
    resources.add(topic_kind(), topic_hooks());
    resources.add(event_kind(), event_hooks());
    add_topic_event_routes(ctx.routes(), resources);

    Hubs& hubs = ctx.hubs();
    // Every event of every module; the kernel then serves no per-API hub of its own here.
    hubs.serve(kBasePath + "/hub", {});
    // A topic's hubs get the events published to it that pass its headerQuery and contentQuery.
    hubs.serve_topic(kBasePath + "/topic/{topicId}/hub",
                     [&resources](const std::string& topic_id) -> std::optional<std::string> {
                       auto topic = resources.get(kTopics, topic_id);
                       if (!topic) return std::nullopt;
                       return topic_filter(parse_object(topic->body));
                     });

    // A deleted topic takes its hubs with it.
    bus_ = &ctx.bus();
    subscription_ = bus_->subscribe("event", [&hubs](const Event& e) {
      if (e.domain == "event" && e.resource_type == "topic" && e.event_type == "TopicDeleteEvent" && e.topic.empty()) {
        log::info("event", "topic deleted; removing its hubs", {{"topic", e.resource_id}});
        hubs.remove_topic_hubs(e.resource_id);
      }
    });
  }

  void stop() noexcept override {
    if (bus_) bus_->unsubscribe(subscription_);
    bus_ = nullptr;
  }

private:
  EventBus* bus_ = nullptr;
  std::uint64_t subscription_ = 0;
};

} // namespace tmfd::event

TMFD_PLUGIN("event", "0.1.0", tmfd::event::EventModule, {nullptr})
