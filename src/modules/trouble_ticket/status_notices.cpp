#include "status_notices.hpp"

#include <chrono>
#include <future>

#include <tmfd/log.hpp>

#include "trouble_ticket_kinds.hpp"

namespace tmfd::trouble_ticket {

namespace {

// The durable consumer's name: keys its cursor in the database. Never change it.
const char* const kConsumer = "trouble_ticket.status_notices";

} // namespace

void StatusNotices::open(ModuleContext& ctx) {
  resources_ = &ctx.resources();
  // Earliest: on the very first run, status changes already in the outbox get their events too.
  stream_ = ctx.open_event_stream(kConsumer, StreamStart::Earliest);
}

void StatusNotices::start() {
  thread_ = std::thread([this] { run(); });
}

void StatusNotices::stop() noexcept {
  stopping_ = true;
  if (stream_) stream_->close();
  if (thread_.joinable()) thread_.join();
  // Released here, while the kernel's stream registry still exists: the module object itself
  // outlives it (plugins are destroyed after the kernel's services).
  stream_.reset();
}

void StatusNotices::run() {
  while (!stopping_) {
    auto batch = stream_->next(64, std::chrono::milliseconds(500));
    for (const auto& e : batch) {
      if (stopping_) return;
      if (!handle(e)) {
        // The store refused or did not answer: read again from this event after a pause.
        stream_->rewind();
        for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        break;
      }
      stream_->acknowledge(e.sequence);
    }
  }
}

bool StatusNotices::handle(const Event& e) {
  if (e.domain != kApi || e.resource_type != "troubleTicket" || e.event_type != kStatusChangeEvent) return true;
  json::object payload;
  try {
    payload = json::parse(e.payload, {}, event_parse_options()).as_object();
  } catch (const std::exception&) {
    log::error("trouble_ticket", "unreadable status change event skipped", {{"event", e.event_id}});
    return true;
  }
  const json::value* ticket = find_path(payload, "event.troubleTicket");
  if (!ticket || !ticket->is_object()) return true;
  const std::string event_type = event_for_status(string_at(ticket->get_object(), "status"));
  if (event_type.empty()) return true;
  if (resources_->get(kNotices, e.event_id)) return true;  // written before a restart

  json::object notice;
  notice["id"] = e.event_id;
  notice["eventType"] = event_type;
  notice["statusChangeDate"] = string_at(ticket->get_object(), "statusChangeDate");
  notice["troubleTicket"] = *ticket;
  auto outcome = std::make_shared<std::promise<ImportOutcome>>();
  auto done = outcome->get_future();
  // import() keeps the given id, so the notice is written once per status change event.
  resources_->import({ImportEntry{kNotices, std::move(notice)}}, e.correlation_id,
                     [outcome](ImportOutcome o) { outcome->set_value(std::move(o)); });
  while (done.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready)
    if (stopping_) return false;  // shutting down: the stored cursor brings it back next run
  const ImportOutcome result = done.get();
  if (!result.committed) {
    if (stopping_) return false;  // the store shut down first: the next run writes it
    const std::string why = result.errors.empty() ? "unknown" : result.errors.front();
    log::error("trouble_ticket", "could not write the event for a ticket status change; will retry",
               {{"event", event_type}, {"ticket", e.resource_id}, {"error", why}});
    return false;
  }
  log::debug("trouble_ticket", "ticket status event written", {{"event", event_type}, {"ticket", e.resource_id}});
  return true;
}

} // namespace tmfd::trouble_ticket
