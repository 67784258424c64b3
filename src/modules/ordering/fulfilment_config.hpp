#pragma once
// How each service or resource specification is fulfilled, and the pools steps allocate from:
// the `plans` and `pools` blocks of modules.ordering in tmfd.yaml (docs/modules/ordering.md).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <tmfd/config_schema.hpp>
#include <tmfd/json.hpp>

namespace tmfd::ordering {

struct StepTemplate {
  std::string name;
  std::string executor;
  json::object parameters;               // every key of the step, as configured
  std::vector<std::string> after;        // names of steps of the same specification
  std::vector<std::string> actions;      // item actions the step runs for (default: add)
  int max_attempts = 3;
  std::int64_t first_retry_ms = 200;
  bool point_of_no_return = false;
  bool hold_on_failure = false;
};

// An address or number pool. IPv4: the usable host addresses of `cidr`. Range: the decimal
// numbers from `first` to `last` (same number of digits, e.g. MSISDNs).
struct PoolConfig {
  std::string name;
  std::string cidr;
  std::string first;
  std::string last;
};

struct FulfilmentConfig {
  std::map<std::string, std::vector<StepTemplate>> plans;  // by specification id
  std::map<std::string, PoolConfig> pools;
  std::int64_t expected_completion_seconds = 3600;  // jeopardy when an order runs longer
  std::string point_of_no_return;  // "" (none unless a step says so) or "inProgress"
  std::string http_ca_file;        // CAs of https:// endpoints of http steps; "": the system's
};

config::Schema ordering_config_schema();

// Reads the validated module block. Throws std::invalid_argument("modules.ordering.<path>:
// problem") for what the schema cannot check: an unknown executor, a step after one that does
// not exist, a bad CIDR or range, a pool that does not exist. Executor names are checked against
// `executors` unless it is empty (plugins add theirs only once they start).
FulfilmentConfig read_fulfilment_config(const json::object& block, const std::vector<std::string>& executors);

} // namespace tmfd::ordering
