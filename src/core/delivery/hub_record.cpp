#include "delivery/hub_record.hpp"

#include <algorithm>

namespace tmfd::delivery {

bool in_scope(const HubRecord& hub, const Event& event) {
  if (!hub.topic.empty()) return event.topic == hub.topic;
  if (hub.domains.empty()) return true;  // the central hub: everything, topic events included
  if (!event.topic.empty()) return false;
  return std::find(hub.domains.begin(), hub.domains.end(), event.domain) != hub.domains.end();
}

void HubStatus::set_error(std::string error) {
  std::lock_guard lock(mutex);
  last_error = std::move(error);
}

json::object HubStatus::to_json(std::int64_t outbox_head) const {
  json::object o;
  const auto consecutive = consecutive_failures.load();
  const auto done = done_sequence.load();
  o["state"] = consecutive > 0 ? "retrying" : (busy.load() ? "delivering" : "idle");
  o["deliveredSequence"] = done;
  o["pendingEvents"] = std::max<std::int64_t>(0, outbox_head - done);
  o["deliveredCount"] = delivered.load();
  o["failureCount"] = failures.load();
  o["consecutiveFailures"] = consecutive;
  o["deadLetterCount"] = dead_letters.load();
  std::lock_guard lock(mutex);
  // Always present, null until the first failure (or delivery), so clients see one shape.
  o["lastError"] = last_error.empty() ? json::value(nullptr) : json::value(last_error);
  o["lastDeliveryTime"] = last_delivery.empty() ? json::value(nullptr) : json::value(last_delivery);
  return o;
}

json::object hub_body(const HubRecord& hub, const std::string& href) {
  json::object o;
  o["id"] = hub.id;
  o["href"] = href;
  o["callback"] = hub.callback;
  o["query"] = hub.query;
  return o;
}

} // namespace tmfd::delivery
