#pragma once
// Everything that carries committed events out of the process: hub subscriptions and their
// dispatcher, named event streams (plugins), and the pruning of the outbox behind all of them.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "delivery/callback_policy.hpp"
#include "delivery/delivery_settings.hpp"
#include "delivery/event_streams.hpp"
#include "delivery/hub_dispatcher.hpp"
#include "delivery/hub_service.hpp"

namespace tmfd::observability {
class Metrics;
}
namespace tmfd::store {
class Database;
}
namespace tmfd::http {
class RouteRegistry;
}

namespace tmfd::delivery {

class DeliveryService {
public:
  // Applies the delivery tables' migrations. Throws std::invalid_argument for a malformed
  // allowed_callbacks entry.
  DeliveryService(store::Database& db, DeliverySettings settings, http::RouteRegistry& routes,
                  observability::Metrics& metrics, std::string public_base_url);
  ~DeliveryService();

  Hubs& hubs() { return hubs_; }
  EventStreams& streams() { return streams_; }

  // Serves `{base}/hub` for each API base path (-> its domains) that has no hub route yet.
  void serve_api_hubs(const std::map<std::string, std::vector<std::string>>& apis,
                      const std::function<bool(const std::string& path)>& has_post_route);

  // Once the writer runs: loads stored hubs, starts their delivery and the outbox pruning.
  void start();
  // Stops hub delivery and pruning. Event streams are closed by the modules that own them.
  void stop();

  // Called by the writer after each commit with the last sequence it wrote.
  void committed(std::int64_t sequence);

private:
  void prune_loop();
  void prune_once();
  void render_metrics(std::string& out) const;

  store::Database& db_;
  DeliverySettings settings_;
  observability::Metrics& metrics_;
  CallbackPolicy policy_;
  std::atomic<std::int64_t> outbox_head_{0};
  HubDispatcher dispatcher_;
  HubService hubs_;
  EventStreams streams_;

  std::mutex prune_mutex_;
  std::condition_variable prune_wake_;
  bool stopping_ = false;
  bool prune_in_flight_ = false;  // guarded by prune_mutex_
  // (when, outbox head then), one per pruning tick: entries up to a head seen at least
  // outbox_retention ago are old enough to go. Pruning thread only.
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::int64_t>> head_samples_;
  std::int64_t pruned_upto_ = 0;  // pruning thread only
  std::thread pruner_;
};

} // namespace tmfd::delivery
