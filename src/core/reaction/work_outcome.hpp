#pragma once
// Shared by the reaction and timer runners: what a write job's failure says, and the backoff.
#include <chrono>
#include <cstdint>
#include <exception>
#include <string>

#include <tmfd/reactions.hpp>

namespace tmfd::reaction {

// The text of what a handler (or the store) threw, for logs and dead letters.
std::string describe(const std::exception_ptr& error);

// The wait before attempt `attempt + 1`, after `attempt` attempts failed (attempt >= 1).
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int attempt);

// Unix milliseconds <-> ISO 8601 UTC with milliseconds.
std::string iso8601_from_ms(std::int64_t unix_ms);
std::int64_t unix_ms_now();

} // namespace tmfd::reaction
