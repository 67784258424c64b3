#include "resource/events.hpp"

#include "resource/ids_and_time.hpp"

namespace tmfd {

EventNames standard_events(const std::string& type) {
  return {type + "CreateEvent", type + "AttributeValueChangeEvent", type + "StateChangeEvent",
          type + "DeleteEvent"};
}

namespace resource {

Event make_event(const ResourceKind& kind, const std::string& event_type,
                 const json::object& resource, const std::string& resource_id,
                 const std::string& correlation_id) {
  Event e;
  e.event_id = new_uuid();
  e.event_type = event_type;
  e.domain = kind.api;
  e.resource_type = kind.collection;
  e.resource_id = resource_id;
  e.correlation_id = correlation_id;
  auto now = now_iso8601();
  json::object body;
  body["eventId"] = e.event_id;
  body["eventTime"] = now;
  body["eventType"] = event_type;
  body["correlationId"] = correlation_id;
  body["domain"] = kind.api;
  body["title"] = event_type;
  body["description"] = event_type + " for " + kind.type + " " + resource_id;
  body["priority"] = "Normal";
  body["timeOcurred"] = now;
  json::object payload;
  payload[kind.collection] = resource;
  body["event"] = std::move(payload);
  e.payload = json::serialize(body);
  return e;
}

} // namespace resource
} // namespace tmfd
