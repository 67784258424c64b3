#include "in_flight_window.hpp"

#include <utility>

namespace tmfd::kafka {

void InFlightWindow::add(std::int64_t sequence, Clock::time_point batch_started) {
  slots_.push_back({sequence, batch_started, State::Pending});
  ++next_ticket_;
  ++pending_;
}

InFlightWindow::Slot* InFlightWindow::find(std::uint64_t ticket) {
  if (ticket < front_ticket_ || ticket - front_ticket_ >= slots_.size()) return nullptr;
  return &slots_[ticket - front_ticket_];
}

void InFlightWindow::delivered(std::uint64_t ticket) {
  Slot* s = find(ticket);
  if (!s || s->state != State::Pending) return;
  s->state = State::Delivered;
  --pending_;
}

void InFlightWindow::failed(std::uint64_t ticket, const std::string& why) {
  Slot* s = find(ticket);
  if (!s || s->state != State::Pending) return;
  s->state = State::Failed;
  --pending_;
  if (failure_.empty()) failure_ = why;
}

void InFlightWindow::refused(const std::string& why) {
  if (failure_.empty()) failure_ = why;
}

InFlightWindow::Released InFlightWindow::release_acknowledged(Clock::time_point now) {
  Released r;
  while (!slots_.empty() && slots_.front().state == State::Delivered) {
    const Slot s = slots_.front();
    slots_.pop_front();
    ++front_ticket_;
    ++r.events;
    r.last_sequence = s.sequence;
    // The last record of its batch: the next one (if any) started another batch.
    if (slots_.empty() || slots_.front().batch_started != s.batch_started)
      r.batch_seconds.push_back(std::chrono::duration<double>(now - s.batch_started).count());
  }
  return r;
}

void InFlightWindow::clear() {
  front_ticket_ = next_ticket_;
  slots_.clear();
  pending_ = 0;
  failure_.clear();
}

} // namespace tmfd::kafka
