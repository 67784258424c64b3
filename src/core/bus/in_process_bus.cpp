#include "bus/in_process_bus.hpp"

#include <tmfd/log.hpp>

#include "observability/metrics.hpp"

namespace tmfd::bus {

InProcessBus::InProcessBus(observability::Metrics& metrics) : metrics_(metrics) {}

InProcessBus::~InProcessBus() { stop(); }

std::uint64_t InProcessBus::subscribe(std::string subscriber_name, EventHandler handler) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<std::vector<Subscription>>(*subscriptions_);
  next->push_back({next_id_, std::move(subscriber_name), std::move(handler)});
  subscriptions_ = std::move(next);
  return next_id_++;
}

void InProcessBus::unsubscribe(std::uint64_t subscription_id) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<std::vector<Subscription>>(*subscriptions_);
  std::erase_if(*next, [&](const auto& s) { return s.id == subscription_id; });
  subscriptions_ = std::move(next);
}

void InProcessBus::publish(std::vector<Event>&& events) {
  {
    std::lock_guard lock(mutex_);
    for (auto& e : events) queue_.push_back(std::move(e));
  }
  wake_.notify_one();
}

void InProcessBus::start() {
  thread_ = std::thread([this] { run(); });
}

void InProcessBus::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void InProcessBus::run() {
  for (;;) {
    Event event;
    std::shared_ptr<const std::vector<Subscription>> targets;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      event = std::move(queue_.front());
      queue_.pop_front();
      targets = subscriptions_;  // handlers may (un)subscribe while running
    }
    log::CorrelationScope scope(event.correlation_id);
    for (const auto& s : *targets) {
      try {
        s.handler(event);
      } catch (const std::exception& e) {
        log::error("bus", "subscriber failed", {{"subscriber", s.name}, {"event", event.event_type}, {"error", e.what()}});
      }
    }
    metrics_.events_delivered.fetch_add(1, std::memory_order_relaxed);
  }
}

} // namespace tmfd::bus
