#include "observability/utc_clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace tmfd::observability {

void assign_now_iso8601(std::string& out) {
  using namespace std::chrono;
  thread_local std::int64_t cached_second = -1;
  thread_local char prefix[32];  // "YYYY-MM-DDTHH:MM:SS."
  thread_local int prefix_size = 0;
  const auto ms_since_epoch = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  const std::int64_t second = ms_since_epoch / 1000;
  if (second != cached_second) {
    const std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    prefix_size = std::snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = second;
  }
  const int ms = static_cast<int>(ms_since_epoch % 1000);
  out.assign(prefix, static_cast<std::size_t>(prefix_size));
  out += static_cast<char>('0' + ms / 100);
  out += static_cast<char>('0' + ms / 10 % 10);
  out += static_cast<char>('0' + ms % 10);
  out += 'Z';
}

} // namespace tmfd::observability
