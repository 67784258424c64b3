#include "resource/events.hpp"

#include <algorithm>

#include "resource/ids_and_time.hpp"

namespace tmfd {

EventNames standard_events(const std::string& type) {
  return {type + "CreateEvent", type + "AttributeValueChangeEvent", type + "StateChangeEvent",
          type + "DeleteEvent"};
}

namespace resource {

namespace {
// Appends "key":"value" with the value escaped as a JSON string. Most values (ids, dates, type
// names) need no escaping and are copied as they are, without the serializer's temporary string.
void member(std::string& out, const char* key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":";
  const bool plain = std::all_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
  });
  if (plain) {
    out += '"';
    out += value;
    out += '"';
  } else {
    out += json::serialize(json::string_view(value));
  }
  out += ',';
}
} // namespace

Event make_event(const ResourceKind& kind, const std::string& event_type, std::string_view resource_json,
                 const std::string& resource_id, const RequestContext& context) {
  const std::string& correlation_id = context.correlation_id;
  Event e;
  e.event_id = new_uuid();
  e.event_type = event_type;
  e.domain = kind.api;
  e.resource_type = kind.collection;
  e.resource_id = resource_id;
  e.correlation_id = correlation_id;
  e.principal = context.principal.subject;
  e.internal = kind.exposure != Exposure::Rest;
  const auto now = now_iso8601();
  std::string& body = e.payload;
  body.reserve(resource_json.size() + 512);
  body += '{';
  member(body, "eventId", e.event_id);
  member(body, "eventTime", now);
  member(body, "eventType", event_type);
  member(body, "correlationId", correlation_id);
  member(body, "domain", kind.api);
  member(body, "title", event_type);
  member(body, "description", event_type + " for " + kind.type + " " + resource_id);
  member(body, "priority", "Normal");
  member(body, "timeOcurred", now);
  body += "\"event\":{";
  body += json::serialize(json::string_view(kind.collection));
  body += ':';
  body += resource_json;
  body += "}}";
  return e;
}

} // namespace resource
} // namespace tmfd
