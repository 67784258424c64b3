#pragma once
// The two resource kinds of the TMF688 Event module and the paths they live under.
//
//  - topic: an ordinary engine kind (list, create, get, delete; TMF688 has no PATCH on topics).
//  - event: the events published to topics. The engine stores them and writes them to the outbox,
//    but serves no route of its own: the module serves /topic/{id}/event itself
//    (topic_event_routes.cpp), since an event's path names its topic.
#include <string>

#include <tmfd/http.hpp>
#include <tmfd/resources.hpp>

namespace tmfd::event {

inline const std::string kBasePath = "/tmf-api/event/v4";
inline const std::string kTopics = kBasePath + "/topic";  // collection path of topics
inline const std::string kEvents = kBasePath + "/event";  // collection path of published events (no route)

// The event type and resource type of what is published to a topic, in the outbox and on the bus.
inline const std::string kTopicEventResourceType = "topicEvent";
// The domain of a published event that does not name one.
inline const std::string kDefaultDomain = "event";

ResourceKind topic_kind();
ResourceHooks topic_hooks();

ResourceKind event_kind();
ResourceHooks event_hooks();

// The id of the topic an event is published to ("topic": {"id": ...}), or "" when it has none.
std::string topic_id_of(const json::object& event);

// GET and POST {base}/topic/{id}/event, GET {base}/topic/{id}/event/{eventId}.
void add_topic_event_routes(http::RouteRegistry& routes, Resources& resources);

} // namespace tmfd::event
