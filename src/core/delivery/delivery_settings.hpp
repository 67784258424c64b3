#pragma once
// The `delivery:` block of tmfd.yaml: how hub callbacks are reached and retried.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace tmfd::delivery {

struct DeliverySettings {
  std::vector<std::string> allowed_callbacks;  // see CallbackPolicy
  std::size_t connections_per_subscription = 4;
  std::size_t batch_size = 256;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds request_timeout{5000};
  int max_attempts = 30;
  std::chrono::seconds max_age{86400};
  std::chrono::milliseconds backoff_initial{200};
  std::chrono::milliseconds backoff_max{60000};
  std::string ca_file;  // empty: the system's CA store
  std::chrono::milliseconds prune_interval{1000};
  std::chrono::seconds outbox_retention{300};  // delivered entries are kept at least this long
};

} // namespace tmfd::delivery
