// The internal troubleTicketNotice kind: the record of one TMF621 event that the engine's four
// event slots cannot name (TroubleTicketResolvedEvent, TroubleTicketInformationRequiredEvent).
// Creating a notice writes its event to the outbox in the same transaction, so a notice exists
// if and only if its event was written; status_notices.cpp creates them.
#include <tmfd/log.hpp>
#include <tmfd/query.hpp>

#include "trouble_ticket_kinds.hpp"

namespace tmfd::trouble_ticket {

namespace {

// The TMF v4 event envelope around the ticket as it was when it entered the status.
std::vector<Event> announce(const json::object& notice, const RequestContext& context) {
  const json::value* ticket = notice.if_contains("troubleTicket");
  if (!ticket || !ticket->is_object()) return {};
  Event e;
  e.event_id = new_id();
  e.event_type = string_at(notice, "eventType");
  e.domain = kApi;
  e.resource_type = "troubleTicket";  // the ticket's events keep their order
  e.resource_id = string_at(ticket->get_object(), "id");
  // The context of the change that wrote the notice: the request that changed the status.
  e.correlation_id = context.correlation_id;
  const std::string now = now_timestamp();
  json::object body;
  body["eventId"] = e.event_id;
  body["eventTime"] = now;
  body["eventType"] = e.event_type;
  body["correlationId"] = e.correlation_id;
  body["domain"] = kApi;
  body["title"] = e.event_type;
  body["description"] = e.event_type + " for TroubleTicket " + e.resource_id;
  body["priority"] = "Normal";
  body["timeOcurred"] = string_at(notice, "statusChangeDate").empty() ? now : string_at(notice, "statusChangeDate");
  body["event"] = json::object{{"troubleTicket", *ticket}};
  e.payload = json::serialize(body);
  return {std::move(e)};
}

} // namespace

ResourceKind notice_kind() {
  return ResourceKind{
      .api = kApi,
      .base_path = kBasePath,
      .collection = "troubleTicketNotice",
      .type = "TroubleTicketNotice",
      .mandatory = {"eventType", "troubleTicket"},
      .attributes = {{"eventType", AttributeType::String}, {"troubleTicket", AttributeType::Object}},
      .indexed = {"troubleTicket.id"},
      .events = {},  // the notice's own event is written by announce()
      .operations = {.list = false, .get = false, .create = false, .patch = false, .remove = false},
  };
}

ResourceHooks notice_hooks() {
  ResourceHooks hooks;
  hooks.events_on_create = announce;
  return hooks;
}

} // namespace tmfd::trouble_ticket
