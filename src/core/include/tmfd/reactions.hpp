#pragma once
// Durable reactions and timers: work the kernel runs for a module after a commit, exactly once in
// effect, across crashes and restarts.
//
// A reaction is a named handler for the committed events that match a TMF630 filter. The kernel
// reads the outbox in commit order on a thread of its own and runs the handler in a unit of work
// that also records the event as handled: the handler's changes and "handled" commit together,
// so a crash before the commit runs it again, and a crash after does not. A handler that throws
// is retried with backoff; after its last attempt the event is parked as a dead letter (readable
// at GET /admin/reactions/{name}/deadLetter), and later events of other resources are not held
// up meanwhile: only events of the same resource wait, so each resource's events are handled in
// their commit order.
//
// A timer is scheduled inside a unit of work (UnitOfWork::schedule_timer) for a named handler and
// a due time; it is stored with the unit, fires once after it is due (after restarts too) in a
// unit of work that deletes it, and can be cancelled in a unit of work.
//
// Compare the in-process EventBus (tmfd/event.hpp): memory only, may miss events across a crash,
// for what can be lost (caches, metrics). Anything that changes state belongs here.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <tmfd/delivery.hpp>
#include <tmfd/event.hpp>
#include <tmfd/json.hpp>

namespace tmfd {

class UnitOfWork;

// Retries of a handler that throws: after `max_attempts` attempts in all, the event (or timer)
// is parked as a dead letter. Waits double from `first_retry` up to `max_retry`.
struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds first_retry{200};
  std::chrono::milliseconds max_retry{30000};
};

struct Reaction {
  std::string name;    // unique in the process: keys the reaction's cursor and dead letters
  // TMF630 filter on events, as a hub's query: eventType, domain and `event.` paths, e.g.
  // "eventType=ProductOrderCreateEvent" or "domain=productOrdering&event.productOrder.state=acknowledged".
  // Empty: every event.
  std::string filter;
  // Runs on a kernel thread, in a unit of work whose context carries the event's correlation id
  // and the principal "reaction:<name>". Throw to refuse: nothing of the unit is kept and the
  // event is retried. Must not call run_and_wait (the unit is already on the writer).
  std::function<void(const Event& event, UnitOfWork& work)> handler;
  RetryPolicy retry;
  // Where a reaction that never ran on this database starts: with the next event committed
  // (Latest), or with the oldest event the outbox still holds (Earliest).
  StreamStart first_start = StreamStart::Latest;
};

// A timer as its handler receives it.
struct FiredTimer {
  std::string id;
  std::string handler;
  std::string due_at;     // ISO 8601 UTC
  json::object payload;
  int attempt = 1;        // 1 on the first firing, more when an earlier one threw
};

struct TimerHandler {
  std::string name;  // what UnitOfWork::schedule_timer names; unique in the process
  std::function<void(const FiredTimer& timer, UnitOfWork& work)> handler;
  RetryPolicy retry;
};

// Given to modules in start() (ModuleContext::reactions()). Registration only in start(): the
// kernel starts running reactions and timers once every module is serving.
class Reactions {
public:
  virtual ~Reactions() = default;
  // Throws std::invalid_argument for an empty or duplicate name, a missing handler, or a filter
  // that does not parse.
  virtual void add(Reaction reaction) = 0;
  virtual void add_timer_handler(TimerHandler handler) = 0;
};

} // namespace tmfd
