// TMF621 Trouble Ticket v4: the troubleTicket kind, with the lifecycle of the published diagram
// (TMF621_Trouble_Ticket__LifeCycle_TroubleTicket.png) and the event names of the swagger.
#include <cstdio>
#include <random>

#include "trouble_ticket_kinds.hpp"

namespace tmfd::trouble_ticket {

namespace {

Attribute str(const char* n) { return {n, AttributeType::String}; }
Attribute date(const char* n) { return {n, AttributeType::DateTime}; }
Attribute arr(const char* n) { return {n, AttributeType::Array}; }
Attribute obj(const char* n) { return {n, AttributeType::Object}; }

} // namespace

std::string string_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string new_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const std::uint64_t hi = random(), lo = random();
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32), static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFF),
                static_cast<unsigned long long>(((lo >> 48) & 0x3FFF) | 0x8000),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

std::string event_for_status(const std::string& status) {
  // "Ticket resolved" and "Process needs extra information to continue" (pending) are the two
  // moves TMF621 announces with events of their own, besides the status change event.
  if (status == "resolved") return kResolvedEvent;
  if (status == "pending") return kInformationRequiredEvent;
  return {};
}

ResourceKind ticket_kind() {
  return ResourceKind{
      .api = kApi,
      .base_path = kBasePath,
      .collection = "troubleTicket",
      .type = "TroubleTicket",
      .mandatory = {"description", "severity", "ticketType"},  // TroubleTicket_Create's required
      .attributes = {str("description"), str("severity"), str("ticketType"), str("externalId"), str("name"),
                     str("priority"), str("statusChangeReason"), date("expectedResolutionDate"),
                     date("requestedResolutionDate"), date("resolutionDate"), date("statusChangeDate"),
                     arr("attachment"), obj("channel"), arr("note"), arr("relatedEntity"), arr("relatedParty"),
                     arr("statusChange"), arr("troubleTicketRelationship"), str("@baseType"),
                     str("@schemaLocation"), str("@type")},
      // A ticket's type is what it was raised as; a different type is a different ticket.
      .immutable = {"ticketType"},
      .indexed = {"status", "severity", "ticketType", "priority", "externalId", "channel.id"},
      .lifecycle = Lifecycle{
          .field = "status",
          .initial = "acknowledged",
          .states = {"acknowledged", "rejected", "pending", "held", "inProgress", "cancelled", "closed",
                     "resolved"},
          .transitions = {{"acknowledged", "inProgress"},  // process started
                          {"acknowledged", "rejected"},    // business validation failed
                          {"acknowledged", "cancelled"},   // ticket cancelled
                          {"inProgress", "held"},          // process blocked due to an issue
                          {"held", "inProgress"},          // issue resolved
                          {"inProgress", "pending"},       // process needs extra information
                          {"pending", "inProgress"},       // extra information provided
                          {"pending", "cancelled"},        // extra information not provided
                          {"inProgress", "resolved"},      // ticket resolved
                          {"inProgress", "cancelled"},     // ticket cancelled
                          {"resolved", "inProgress"},      // the resolution was rejected
                          {"resolved", "closed"}},         // the resolution was accepted
          .aliases = {}},
      // TMF621 says "StatusChange", not "StateChange". Resolved and InformationRequired are
      // written through troubleTicketNotice (notice_kind.cpp).
      .events = {.create = "TroubleTicketCreateEvent",
                 .attribute_value_change = "TroubleTicketAttributeValueChangeEvent",
                 .state_change = kStatusChangeEvent,
                 .remove = "TroubleTicketDeleteEvent"},
      .last_update_field = "lastUpdate",
      .created_field = "creationDate",
  };
}

} // namespace tmfd::trouble_ticket
