#include "reaction/work_outcome.hpp"

#include <algorithm>
#include <ctime>

namespace tmfd::reaction {

std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int attempt) {
  auto delay = policy.first_retry;
  for (int i = 1; i < attempt && delay < policy.max_retry; ++i) delay *= 2;
  return std::min(delay, policy.max_retry);
}

std::string iso8601_from_ms(std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  return buf;
}

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace tmfd::reaction
