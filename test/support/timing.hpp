#pragma once
// Time helpers for the integration tests: waiting for a condition, and the current time as the
// server writes its timestamps.
#include <chrono>
#include <string>
#include <thread>

namespace tmfd::test {

// Polls `pred` every 20 ms until it is true or `limit` has passed; returns its last value.
template <class Pred> bool eventually(Pred pred, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

// The current UTC time as ISO 8601 with milliseconds ("2024-01-31T12:00:00.000Z"), the form of the
// server's timestamps, so that they compare as text.
std::string utc_now_ms();

} // namespace tmfd::test
