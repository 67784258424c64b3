#pragma once
// The executors tmfd ships that run on the writer: allocate (from a pool), generate (a value from
// a pattern), wait (a fixed time, on a durable timer), manual (a person completes the task flow).
// The `http` executor is http_executor.hpp.
#include <map>
#include <memory>
#include <string>

#include <tmfd/fulfilment.hpp>

#include "fulfilment_config.hpp"

namespace tmfd::ordering {

std::map<std::string, std::shared_ptr<StepExecutor>> builtin_executors(const FulfilmentConfig& config);

} // namespace tmfd::ordering
