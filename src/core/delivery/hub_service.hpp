#pragma once
// Hub subscriptions over REST (TMF630 `{base}/hub`, TMF688 topic hubs): registration checks,
// storage, and handing each hub to the dispatcher.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <tmfd/delivery.hpp>
#include <tmfd/http.hpp>

#include "delivery/callback_policy.hpp"
#include "delivery/hub_dispatcher.hpp"
#include "delivery/hub_record.hpp"

namespace tmfd::store {
class Database;
}

namespace tmfd::delivery {

class HubService final : public Hubs {
public:
  HubService(store::Database& db, const CallbackPolicy& policy, HubDispatcher& dispatcher,
             http::RouteRegistry& routes, std::string public_base_url, const std::atomic<std::int64_t>& outbox_head);

  // Hands every stored hub to the dispatcher.
  void load();

  void serve(const std::string& hub_path, std::vector<std::string> domains) override;
  void serve_topic(const std::string& hub_path,
                   std::function<std::optional<std::string>(const std::string& topic_id)> topic_filter) override;
  void remove_topic_hubs(const std::string& topic_id) override;

  // The smallest stored cursor of all hubs; nullopt when there is none.
  std::optional<std::int64_t> min_stored_cursor() const;
  void render_metrics(std::string& out) const;

private:
  struct Entry {
    HubRecord record;
    std::shared_ptr<HubStatus> status;
  };
  struct Scope {
    std::string hub_path;  // with {topicId} replaced
    std::vector<std::string> domains;
    std::string topic;
    std::string topic_filter;
  };

  void create(const http::Request& request, http::Reply reply, Scope scope);
  void list(const std::string& hub_path, const http::Request& request, http::Reply reply) const;
  void get(const std::string& hub_path, const std::string& id, http::Reply reply) const;
  void remove(const std::string& hub_path, const std::string& id, const std::string& correlation_id, http::Reply reply);
  void dead_letters(const std::string& hub_path, const std::string& id, const http::Request& request,
                    http::Reply reply) const;
  // Queues dead letters for delivery again: the one with `sequence`, or all of them (nullopt).
  void replay(const std::string& hub_path, const std::string& id, std::optional<std::string> sequence,
              const std::string& correlation_id, http::Reply reply);
  // The hub `id` registered on `hub_path`; throws ApiError 404 otherwise.
  Entry find(const std::string& hub_path, const std::string& id) const;
  void start_delivery(const HubRecord& record, std::shared_ptr<HubStatus> status);
  std::string href(const HubRecord& record) const;

  store::Database& db_;
  const CallbackPolicy& policy_;
  HubDispatcher& dispatcher_;
  http::RouteRegistry& routes_;
  std::string public_base_url_;
  const std::atomic<std::int64_t>& outbox_head_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> hubs_;
};

} // namespace tmfd::delivery
