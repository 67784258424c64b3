#pragma once
// Delivers the outbox to hub callbacks. One worker per hub reads the outbox after the hub's
// cursor in batches, keeps the events in the hub's scope that pass its query, and posts them over
// `connections_per_subscription` keep-alive connections: events of one resource always go
// through the same connection, one after the other, so they arrive in order; different resources
// go in parallel. The cursor moves (and is stored) once the whole batch is delivered or
// dead-lettered, so a restart resends at most one batch: at-least-once, identifiable by eventId.
// Before each batch a worker sends the hub's replayed dead letters (tmfd_replay), if any.
#include <cstdint>
#include <memory>
#include <string>

#include "delivery/callback_policy.hpp"
#include "delivery/delivery_settings.hpp"
#include "delivery/event_filter.hpp"
#include "delivery/hub_record.hpp"

namespace tmfd::observability {
class Metrics;
}
namespace tmfd::store {
class Database;
}

namespace tmfd::delivery {

class HubDispatcher {
public:
  HubDispatcher(store::Database& db, const DeliverySettings& settings, const CallbackPolicy& policy,
                observability::Metrics& metrics);
  ~HubDispatcher();

  // Starts the delivery thread. Throws when the TLS settings are unusable (e.g. a bad ca_file).
  void start();
  // Stops every worker (a batch in flight is resent after the next start) and joins the thread.
  void stop();

  // Begins delivering to a stored hub, from hub.cursor.
  void add(const HubRecord& hub, EventFilter filter, CallbackUrl url, std::shared_ptr<HubStatus> status);
  void remove(const std::string& hub_id);
  // The hub has new replays queued: wakes its worker if idle.
  void wake(const std::string& hub_id);
  // Events up to `sequence` are committed: wakes idle workers.
  void notify(std::int64_t sequence);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace tmfd::delivery
