#pragma once
// Runs one durable reaction (tmfd/reactions.hpp): reads the outbox through the reaction's own
// event stream, hands matching events to the handler in units of work that also mark them
// handled, retries failures per resource and parks them as dead letters after the last attempt.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <tmfd/reactions.hpp>

#include "delivery/event_filter.hpp"

namespace tmfd::resource {
class Engine;
}
namespace tmfd::store {
class Database;
}
namespace tmfd::delivery {
class EventStreams;
}

namespace tmfd::reaction {

struct ReactionStatus {
  std::string name;
  std::string filter;
  std::int64_t cursor = 0;      // every event up to here is handled, skipped or parked
  std::size_t waiting = 0;      // events held for a retry (theirs or an earlier one of their resource)
  std::uint64_t handled = 0;    // since start
  std::uint64_t failures = 0;   // attempts that threw, since start
  std::uint64_t parked = 0;     // dead-lettered since start
};

class ReactionRunner {
public:
  ReactionRunner(Reaction reaction, delivery::EventFilter filter, resource::Engine& engine, store::Database& db);
  ~ReactionRunner();

  const std::string& name() const { return reaction_.name; }
  // Opens the stream (stores its first cursor) and starts the thread.
  void start(delivery::EventStreams& streams);
  void stop();
  ReactionStatus status() const;

private:
  struct Pending {
    Event event;
    int attempts = 0;  // failed attempts so far
    std::chrono::steady_clock::time_point next_try;
    std::string last_error;
  };

  void run();
  // Runs `round` (seq order) through the writer, each event in its own job; what fails or waits
  // behind a failure of its resource goes back to blocked_.
  void run_round(std::vector<Pending> round);
  void park(const Pending& p);
  std::vector<Pending> take_due_retries();
  std::chrono::milliseconds wait_for_next_retry() const;
  void acknowledge_handled(std::int64_t read_upto);

  Reaction reaction_;
  delivery::EventFilter filter_;
  resource::Engine& engine_;
  store::Database& db_;
  std::unique_ptr<EventStream> stream_;
  std::map<std::string, std::deque<Pending>> blocked_;  // by resource key; runner thread only
  std::int64_t read_upto_ = 0;                          // runner thread only
  std::int64_t forgotten_upto_ = 0;                     // markers deleted up to here
  std::atomic<std::int64_t> cursor_{0};
  std::atomic<std::size_t> waiting_{0};
  std::atomic<std::uint64_t> handled_{0}, failures_{0}, parked_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

} // namespace tmfd::reaction
