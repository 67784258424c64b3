// TMF688 Event v4: the topic kind, and the kind that stores the events published to topics.
#include "event_kinds.hpp"

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>
#include <tmfd/query.hpp>


namespace tmfd::event {

namespace {

Attribute str(const char* n) { return {n, AttributeType::String}; }
Attribute date(const char* n) { return {n, AttributeType::DateTime}; }
Attribute arr(const char* n) { return {n, AttributeType::Array}; }
Attribute obj(const char* n) { return {n, AttributeType::Object}; }

std::string string_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool absent(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return !v || v->is_null() || (v->is_string() && v->get_string().empty());
}

// A topic's filters must be TMF630 filters, so that its hubs can apply them.
void check_topic(json::object& topic, const json::object* /*previous*/) {
  for (const char* key : {"headerQuery", "contentQuery"}) {
    const json::value* v = topic.if_contains(key);
    if (v && v->is_string()) check_filter_query(v->get_string(), key);
  }
}

// Fills what a published event leaves out. Runs on the caller's thread (the request's), after
// the engine set id and href.
void complete_event(json::object& event, const json::object* /*previous*/) {
  if (topic_id_of(event).empty())
    throw ApiError::invalid_attribute("topic", "must name the topic the event is published to ({\"id\": ...})");
  if (absent(event, "eventId")) {
    json::value id = event.at("id");  // a copy: inserting may move the members
    event["eventId"] = std::move(id);
  }
  if (absent(event, "eventTime")) event["eventTime"] = now_timestamp();
  if (absent(event, "domain")) event["domain"] = kDefaultDomain;
  if (absent(event, "correlationId")) {
    // The front (and the writer, for imports) scope every request's work with its correlation id.
    const auto corr = log::current_correlation_id();
    if (!corr.empty()) event["correlationId"] = std::string(corr);
  }
}

// The topic must still exist when the event is written (it may have been deleted meanwhile).
void check_topic_exists(const json::object& event, const json::object* /*previous*/, TransactionReader& reader) {
  const std::string topic = topic_id_of(event);
  if (!reader.get(kTopics, topic)) throw ApiError::not_found("Topic '" + topic + "' does not exist");
}

std::string event_path(const json::object& event) {
  const std::string id = string_at(event, "id");
  const std::string topic = topic_id_of(event);
  if (topic.empty()) return kEvents + "/" + percent_encode(id);  // refused by complete_event
  return kTopics + "/" + percent_encode(topic) + "/event/" + percent_encode(id);
}

// The event as published to its topic: this is what the topic's hubs and the central hub receive.
std::vector<Event> publish(const json::object& stored, const RequestContext& context) {
  Event e;
  e.event_id = string_at(stored, "eventId");
  if (e.event_id.empty()) e.event_id = string_at(stored, "id");
  e.event_type = string_at(stored, "eventType");
  e.domain = string_at(stored, "domain");
  if (e.domain.empty()) e.domain = kDefaultDomain;
  e.resource_type = kTopicEventResourceType;
  e.resource_id = topic_id_of(stored);  // events of one topic keep their order
  e.topic = e.resource_id;
  e.correlation_id = context.correlation_id;
  if (e.correlation_id.empty()) e.correlation_id = string_at(stored, "correlationId");
  e.payload = json::serialize(stored);
  return {std::move(e)};
}

} // namespace

std::string topic_id_of(const json::object& event) {
  const json::value* v = find_path(event, "topic.id");
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

ResourceKind topic_kind() {
  return ResourceKind{
      .api = "event",
      .base_path = kBasePath,
      .collection = "topic",
      .type = "Topic",
      .mandatory = {"name"},
      .attributes = {str("name"), str("contentQuery"), str("headerQuery"), str("@baseType"), str("@schemaLocation"),
                     str("@type")},
      .indexed = {"name"},
      // TMF688 names its topic events without the usual "AttributeValue"; topics have no PATCH,
      // so TopicChangeEvent is declared but never written.
      .events = {.create = "TopicCreateEvent",
                 .attribute_value_change = "TopicChangeEvent",
                 .state_change = "",
                 .remove = "TopicDeleteEvent"},
      .operations = {.patch = false},
  };
}

ResourceHooks topic_hooks() {
  ResourceHooks hooks;
  hooks.validate = check_topic;
  return hooks;
}

ResourceKind event_kind() {
  return ResourceKind{
      .api = "event",
      .base_path = kBasePath,
      .collection = "event",
      .type = "Event",
      .mandatory = {"eventType"},
      .attributes = {str("eventId"), date("eventTime"), str("eventType"), str("correlationId"), str("domain"),
                     str("title"), str("description"), str("priority"), date("timeOcurred"), obj("source"),
                     obj("reportingSystem"), arr("relatedParty"), arr("analyticCharacteristic"), obj("topic"),
                     str("@baseType"), str("@schemaLocation"), str("@type")},
      .indexed = {"topic.id"},
      // The engine writes no event of its own for a stored event: events_on_create publishes it.
      .events = {},
      // Served by the module under /topic/{id}/event.
      .operations = {.list = false, .get = false, .create = false, .patch = false, .remove = false},
  };
}

ResourceHooks event_hooks() {
  ResourceHooks hooks;
  hooks.validate = complete_event;
  hooks.check_in_transaction = check_topic_exists;
  hooks.path_of = event_path;
  hooks.events_on_create = publish;
  return hooks;
}

} // namespace tmfd::event
