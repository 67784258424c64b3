#include "status_notices.hpp"

#include <tmfd/log.hpp>
#include <tmfd/unit_of_work.hpp>

#include "trouble_ticket_kinds.hpp"

namespace tmfd::trouble_ticket {

namespace {

// The reaction's name keys its cursor and dead letters in the database. Never change it.
const char* const kReaction = "trouble_ticket.status-notices";

void write_notice(const Event& e, UnitOfWork& work) {
  json::object payload;
  try {
    payload = json::parse(e.payload, {}, event_parse_options()).as_object();
  } catch (const std::exception&) {
    log::error("trouble_ticket", "unreadable status change event skipped", {{"event", e.event_id}});
    return;
  }
  const json::value* ticket = find_path(payload, "event.troubleTicket");
  if (!ticket || !ticket->is_object()) return;
  const std::string event_type = event_for_status(string_at(ticket->get_object(), "status"));
  if (event_type.empty()) return;

  json::object notice;
  notice["id"] = e.event_id;  // once per status change event
  notice["eventType"] = event_type;
  notice["statusChangeDate"] = string_at(ticket->get_object(), "statusChangeDate");
  notice["troubleTicket"] = *ticket;
  auto written = work.create(kNotices, std::move(notice));
  // Refused: throw, so the kernel retries (and parks the event as a dead letter at the end).
  if (!written.ok()) throw std::runtime_error("notice refused: " + written.error->detail());
  log::debug("trouble_ticket", "ticket status event written", {{"event", event_type}, {"ticket", e.resource_id}});
}

} // namespace

void add_status_notices(ModuleContext& ctx) {
  Reaction reaction;
  reaction.name = kReaction;
  reaction.filter = "domain=" + kApi + "&eventType=" + kStatusChangeEvent;
  reaction.handler = write_notice;
  // Earliest: on the very first run, status changes already in the outbox get their events too.
  reaction.first_start = StreamStart::Earliest;
  ctx.reactions().add(std::move(reaction));
}

} // namespace tmfd::trouble_ticket
