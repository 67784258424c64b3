#include "delivery/delivery_service.hpp"

#include <tmfd/log.hpp>

#include "delivery/hub_store.hpp"
#include "delivery/outbox_log.hpp"
#include "observability/metrics.hpp"
#include "store/database.hpp"

namespace tmfd::delivery {

DeliveryService::DeliveryService(store::Database& db, DeliverySettings settings, http::RouteRegistry& routes,
                                 observability::Metrics& metrics, std::string public_base_url)
    : db_(db), settings_(std::move(settings)), metrics_(metrics), policy_(settings_.allowed_callbacks),
      dispatcher_(db, settings_, policy_, metrics), hubs_(db, policy_, dispatcher_, routes, std::move(public_base_url), outbox_head_),
      streams_(db) {
  db_.migrate("tmfd.delivery", delivery_migrations());
  outbox_head_.store(outbox_head(db_.reader()));
  metrics_.add_renderer([this](std::string& out) { render_metrics(out); });
}

DeliveryService::~DeliveryService() { stop(); }

void DeliveryService::serve_api_hubs(const std::map<std::string, std::vector<std::string>>& apis,
                                     const std::function<bool(const std::string&)>& has_post_route) {
  for (const auto& [base, domains] : apis) {
    const auto path = base + "/hub";
    if (!has_post_route(path)) hubs_.serve(path, domains);
  }
}

void DeliveryService::start() {
  dispatcher_.start();
  hubs_.load();
  pruner_ = std::thread([this] { prune_loop(); });
}

void DeliveryService::stop() {
  {
    std::lock_guard lock(prune_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  prune_wake_.notify_all();
  if (pruner_.joinable()) pruner_.join();
  dispatcher_.stop();
}

void DeliveryService::committed(std::int64_t sequence) {
  auto head = outbox_head_.load(std::memory_order_relaxed);
  while (head < sequence && !outbox_head_.compare_exchange_weak(head, sequence)) {
  }
  dispatcher_.notify(sequence);
  streams_.notify(sequence);
}

void DeliveryService::prune_loop() {
  std::unique_lock lock(prune_mutex_);
  while (!prune_wake_.wait_for(lock, settings_.prune_interval, [this] { return stopping_; })) {
    if (prune_in_flight_) continue;  // the last one is still queued behind writes
    lock.unlock();
    prune_once();
    lock.lock();
  }
}

void DeliveryService::prune_once() {
  // Only cursors already stored count: after a crash a consumer resumes from its stored cursor,
  // so nothing after it may go. With no consumer at all, everything committed may go (a hub
  // registered later starts at the head anyway).
  // Entries also stay for outbox_retention after their commit: a consumer started with
  // StreamStart::Earliest finds recent history, and so does an operator looking at the table.
  const auto now = std::chrono::steady_clock::now();
  head_samples_.emplace_back(now, outbox_head_.load());
  std::int64_t old_enough = 0;
  while (!head_samples_.empty() && now - head_samples_.front().first >= settings_.outbox_retention) {
    old_enough = head_samples_.front().second;
    head_samples_.pop_front();
  }
  if (old_enough > 0) head_samples_.emplace_front(now - settings_.outbox_retention, old_enough);
  std::int64_t upto = old_enough;
  if (auto hubs = hubs_.min_stored_cursor()) upto = std::min(upto, *hubs);
  if (auto streams = streams_.min_stored_cursor()) upto = std::min(upto, *streams);
  if (upto <= pruned_upto_) {  // nothing new to delete: no write at all
    metrics_.outbox_prune_passes.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  pruned_upto_ = upto;
  {
    std::lock_guard lock(prune_mutex_);
    prune_in_flight_ = true;
  }
  store::WriteJob job;
  job.run = [this, upto](store::WriteTxn& txn) {
    metrics_.outbox_pruned.fetch_add(static_cast<std::uint64_t>(hub_store::prune_outbox(txn.connection(), upto)));
  };
  job.done = [this](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        log::warn("delivery", "outbox pruning failed", {{"error", e.what()}});
      }
    }
    std::lock_guard lock(prune_mutex_);
    prune_in_flight_ = false;
    metrics_.outbox_prune_passes.fetch_add(1, std::memory_order_relaxed);
  };
  db_.submit(std::move(job));
}

void DeliveryService::render_metrics(std::string& out) const {
  hubs_.render_metrics(out);
  out += "# HELP tmfd_consumer_pending_events Outbox entries after an event stream's stored cursor.\n"
         "# TYPE tmfd_consumer_pending_events gauge\n";
  const auto head = outbox_head_.load();
  for (const auto& [name, cursor] : streams_.cursors())
    out += "tmfd_consumer_pending_events{consumer=\"" + name + "\"} " + std::to_string(std::max<std::int64_t>(0, head - cursor)) + "\n";
  out += "# HELP tmfd_outbox_head_sequence Last sequence written to the outbox.\n"
         "# TYPE tmfd_outbox_head_sequence gauge\ntmfd_outbox_head_sequence " + std::to_string(head) + "\n";
}

} // namespace tmfd::delivery
