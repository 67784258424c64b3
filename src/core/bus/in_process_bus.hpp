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
  void unsubscribe(std::uint64_t subscription_id) override;

  // Called by the writer after commit.
  void publish(std::vector<Event>&& events);
  void start();
  // Delivers what is queued, then joins the bus thread.
  void stop();

private:
  struct Subscription {
    std::uint64_t id;
    std::string name;
    EventHandler handler;
  };
  void run();

  observability::Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Event> queue_;
  // Replaced, never modified, when someone (un)subscribes: delivery takes a reference to the
  // current list instead of copying every handler for every event.
  std::shared_ptr<const std::vector<Subscription>> subscriptions_ = std::make_shared<std::vector<Subscription>>();
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace tmfd::bus
