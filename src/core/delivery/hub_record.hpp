#pragma once
// A hub subscription as stored, and the live delivery figures shown with it.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <tmfd/event.hpp>
#include <tmfd/json.hpp>

namespace tmfd::delivery {

struct HubRecord {
  std::string id;
  std::string hub_path;                // the collection it was registered on, e.g. /tmf-api/party/v4/hub
  std::vector<std::string> domains;    // events of these domains; empty and no topic: every event
  std::string topic;                   // TMF688 topic hubs: events published to this topic only
  std::string callback;
  std::string query;                   // as the client sent it
  std::string topic_filter;            // the topic's own filter when registered (TMF688)
  std::int64_t cursor = 0;             // last outbox sequence this hub is done with, as stored
};

// Does the event belong to the hub's scope (before its query is applied)?
bool in_scope(const HubRecord& hub, const Event& event);

// Live figures of one hub's delivery, written by its worker and read by GET and /metrics.
struct HubStatus {
  std::atomic<std::int64_t> done_sequence{0};       // in memory; the stored cursor may lag
  std::atomic<std::int64_t> stored_sequence{0};     // what a restart would resume after
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> failures{0};
  std::atomic<std::uint64_t> dead_letters{0};
  std::atomic<std::uint64_t> consecutive_failures{0};
  std::atomic<bool> busy{false};
  mutable std::mutex mutex;
  std::string last_error;       // guarded by mutex
  std::string last_delivery;    // ISO time, guarded by mutex

  void set_error(std::string error);
  json::object to_json(std::int64_t outbox_head) const;
};

// The hub's REST representation (TMF EventSubscription / TMF688 Hub).
json::object hub_body(const HubRecord& hub, const std::string& href);

} // namespace tmfd::delivery
