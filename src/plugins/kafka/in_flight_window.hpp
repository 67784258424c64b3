#pragma once
// The records the relay produced and Kafka has not all acknowledged yet, in outbox order. Each
// record gets a ticket (a number that only grows, also across clear()), carried through
// librdkafka as the record's opaque value, so its delivery report finds it again. The window tells
// how far from its front everything is acknowledged: the stream's cursor may move that far and no
// further, however many batches are in flight behind a record still waiting.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace tmfd::kafka {

class InFlightWindow {
public:
  using Clock = std::chrono::steady_clock;

  // The ticket the next add() gives (so produce() can tag the record before it is added).
  std::uint64_t next_ticket() const { return next_ticket_; }
  // A record of outbox `sequence` was handed to librdkafka with next_ticket(). `batch_started`:
  // when its batch was produced; a batch is the records added with the same time point.
  void add(std::int64_t sequence, Clock::time_point batch_started);

  // Delivery reports. Tickets not in the window (cleared since) are ignored.
  void delivered(std::uint64_t ticket);
  void failed(std::uint64_t ticket, const std::string& why);
  // A record could not even be produced: the window stops at it as at a failure.
  void refused(const std::string& why);

  std::size_t size() const { return slots_.size(); }   // produced and not yet released
  std::size_t pending() const { return pending_; }     // no report yet
  bool failing() const { return !failure_.empty(); }
  const std::string& failure() const { return failure_; }

  struct Released {
    std::size_t events = 0;
    std::int64_t last_sequence = 0;   // 0: nothing released
    std::vector<double> batch_seconds; // each batch whose last record was released: produce to release
  };
  // Removes the acknowledged records at the front of the window.
  Released release_acknowledged(Clock::time_point now);

  // Forgets every record (after a failure, to resend them; or when stopping).
  void clear();

private:
  enum class State : unsigned char { Pending, Delivered, Failed };
  struct Slot {
    std::int64_t sequence;
    Clock::time_point batch_started;
    State state;
  };
  Slot* find(std::uint64_t ticket);

  std::deque<Slot> slots_;
  std::uint64_t front_ticket_ = 1;  // the ticket of slots_.front()
  std::uint64_t next_ticket_ = 1;
  std::size_t pending_ = 0;
  std::string failure_;  // the first failure since the last clear()
};

} // namespace tmfd::kafka
