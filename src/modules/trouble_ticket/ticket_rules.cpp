// The rules of a trouble ticket beyond what the kind declares: the server keeps the status
// history (statusChange, statusChangeDate, resolutionDate), numbers and dates notes, checks the
// shape of related entities and attachments, and lets a ticket be deleted only once it is over.
#include <tmfd/error.hpp>
#include <tmfd/query.hpp>

#include "trouble_ticket_kinds.hpp"

namespace tmfd::trouble_ticket {

namespace {

// Attributes only the server writes. A client's value is ignored, as the engine ignores one for
// lastUpdate: the history must say what happened, not what a client claims.
const char* const kServerOwned[] = {"statusChange", "statusChangeDate", "resolutionDate"};

bool blank(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return !v || v->is_null() || (v->is_string() && v->get_string().empty());
}

json::array* array_at(json::object& o, std::string_view key) {
  json::value* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

// Each entry of `key` must be an object; `element` names it in messages ("note 2").
template <typename Check>
void for_each_entry(json::object& ticket, std::string_view key, Check check) {
  json::array* entries = array_at(ticket, key);
  if (!entries) return;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    json::value& entry = (*entries)[i];
    const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
    if (!entry.is_object()) throw ApiError::invalid_attribute(where, "must be an object");
    check(entry.get_object(), where);
  }
}

// A note is a dated, identified journal entry: the server gives one without an id or a date
// its own, so a later patch can tell the notes apart.
void complete_notes(json::object& ticket, const std::string& now) {
  for_each_entry(ticket, "note", [&](json::object& note, const std::string& where) {
    if (blank(note, "text")) throw ApiError::invalid_attribute(where + ".text", "is mandatory");
    if (blank(note, "id")) note["id"] = new_id();
    if (blank(note, "date")) note["date"] = now;
  });
}

// Orders, services, resources... are kept as references (they may live in another system):
// only the reference's own mandatory parts (TMF621 RelatedEntity) are checked.
void check_related_entities(json::object& ticket) {
  for_each_entry(ticket, "relatedEntity", [](json::object& entity, const std::string& where) {
    for (const char* key : {"id", "role", "@referredType"})
      if (blank(entity, key)) throw ApiError::invalid_attribute(where + "." + key, "is mandatory");
  });
  for_each_entry(ticket, "troubleTicketRelationship", [](json::object& rel, const std::string& where) {
    if (blank(rel, "id")) throw ApiError::invalid_attribute(where + ".id", "is mandatory");
  });
}

// An attachment is given by reference (id or url) or by value (content).
void check_attachments(json::object& ticket) {
  for_each_entry(ticket, "attachment", [](json::object& a, const std::string& where) {
    if (blank(a, "id") && blank(a, "url") && blank(a, "content"))
      throw ApiError::invalid_attribute(where, "needs a reference (id or url) or its content");
    for (const char* key : {"url", "content", "mimeType", "name"}) {
      const json::value* v = a.if_contains(key);
      if (v && !v->is_string() && !v->is_null()) throw ApiError::invalid_attribute(where + "." + key, "must be a string");
    }
  });
}

json::object status_change(const json::object& ticket, const std::string& now, bool reason_given) {
  json::object entry;
  entry["status"] = string_at(ticket, "status");
  entry["changeDate"] = now;
  if (reason_given && !blank(ticket, "statusChangeReason")) entry["changeReason"] = string_at(ticket, "statusChangeReason");
  entry["@type"] = "StatusChange";
  return entry;
}

void record_status(json::object& ticket, const json::object* previous, const std::string& now) {
  for (const char* key : kServerOwned) {
    ticket.erase(key);
    if (previous)
      if (const json::value* v = previous->if_contains(key)) ticket[key] = *v;
  }
  const std::string status = string_at(ticket, "status");
  if (previous && string_at(*previous, "status") == status) return;
  // The reason belongs to the change it came with; one left from an earlier change is dropped.
  const bool reason_given = !previous || string_at(*previous, "statusChangeReason") != string_at(ticket, "statusChangeReason");
  if (!reason_given) ticket.erase("statusChangeReason");
  json::array* history = array_at(ticket, "statusChange");
  if (!history) history = &(ticket["statusChange"] = json::array()).get_array();
  history->push_back(status_change(ticket, now, reason_given));
  ticket["statusChangeDate"] = now;
  if (status == "resolved") ticket["resolutionDate"] = now;
}

void validate(json::object& ticket, const json::object* previous) {
  // The diagram has one way in: "Initial - basic check" leads to acknowledged.
  if (!previous && string_at(ticket, "status") != "acknowledged")
    throw ApiError::invalid_attribute("status", "must be 'acknowledged' (or absent) on create: a ticket starts acknowledged");
  check_related_entities(ticket);
  check_attachments(ticket);
  // On create the history starts at the creation date the engine just set.
  std::string now = previous ? std::string() : string_at(ticket, "creationDate");
  if (now.empty()) now = now_timestamp();
  complete_notes(ticket, now);
  record_status(ticket, previous, now);
}

// A ticket is the record of an incident: it may go once it is over (closed, cancelled or
// rejected, the diagram's final states), not while someone works on it.
void refuse_open_ticket(const json::object& ticket, TransactionReader& /*reader*/) {
  const std::string status = string_at(ticket, "status");
  if (status != "closed" && status != "cancelled" && status != "rejected")
    throw ApiError::conflict("a trouble ticket in status '" + status +
                             "' cannot be deleted; only closed, cancelled or rejected tickets can");
}

} // namespace

ResourceHooks ticket_hooks() {
  ResourceHooks hooks;
  hooks.validate = validate;
  hooks.before_delete = refuse_open_ticket;
  return hooks;
}

} // namespace tmfd::trouble_ticket
