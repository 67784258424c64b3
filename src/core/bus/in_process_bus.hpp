#pragma once
// The in-process event bus. The store's writer hands it each group's committed events; a single
// bus thread delivers them to subscribers in commit order, so a slow subscriber delays the bus
// but never the writer or a client request.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <tmfd/event.hpp>

namespace tmfd::observability {
class Metrics;
}

namespace tmfd::bus {

class InProcessBus final : public EventBus {
public:
  explicit InProcessBus(observability::Metrics& metrics);
  ~InProcessBus() override;

  std::uint64_t subscribe(std::string subscriber_name, EventHandler handler) override;
  // Once this returns, the subscription's handler is not running and will not run again: if it
  // runs on the bus thread at the time of the call, the call waits for it to return, so that a
  // module may free what the handler uses right after (in its stop(), say). Called on the bus
  // thread itself, i.e. from inside a handler (its own or another's), it cannot wait for the
  // handler that called it and returns at once: the handler must not free what it still uses.
  void unsubscribe(std::uint64_t subscription_id) override;

  // Called by the writer after commit.
  void publish(std::vector<Event>&& events);
  void start();
  // Delivers what is queued, then joins the bus thread.
  void stop();

  // How many unsubscribe() calls are waiting for a running handler (for tests and diagnostics).
  std::size_t unsubscribes_waiting() const;

private:
  struct Subscription {
    std::uint64_t id;
    std::string name;
    EventHandler handler;
  };
  void run();
  // Whether `id` is still subscribed (mutex_ held). `targets` is the delivery's snapshot.
  bool still_subscribed(const std::vector<Subscription>* targets, std::uint64_t id) const;

  observability::Metrics& metrics_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Event> queue_;
  // Replaced, never modified, when someone (un)subscribes: delivery takes a reference to the
  // current list instead of copying every handler for every event.
  std::shared_ptr<const std::vector<Subscription>> subscriptions_ = std::make_shared<std::vector<Subscription>>();
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  // The subscription whose handler runs on the bus thread now (0: none), and a wake-up for the
  // unsubscribe() calls waiting for it to return. Guarded by mutex_.
  std::uint64_t running_ = 0;
  std::condition_variable handler_returned_;
  std::size_t unsubscribes_waiting_ = 0;
  std::thread thread_;
};

} // namespace tmfd::bus
