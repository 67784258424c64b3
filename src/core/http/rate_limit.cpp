#include "http/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include <tmfd/error.hpp>

namespace tmfd::http {

namespace {

constexpr std::size_t shard_count = 16;  // a power of two; enough that I/O threads rarely meet

struct Bucket {
  double tokens = 0;
  std::chrono::steady_clock::time_point updated;
};

// Transparent hashing: a lookup by string_view allocates nothing (most requests hit a known key).
struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

Response too_many_requests(std::uint32_t retry_after, const std::string& message) {
  auto r = Response::json(429, error_body(429, "TOO_MANY_REQUESTS", "Too many requests", message));
  r.headers.emplace_back("Retry-After", std::to_string(retry_after));
  return r;
}

} // namespace

struct TokenBuckets::Shard {
  mutable std::mutex mutex;
  std::unordered_map<std::string, Bucket, KeyHash, std::equal_to<>> buckets;
  std::size_t max_keys = 0;
};

TokenBuckets::TokenBuckets(RateLimit limit, std::size_t max_keys)
    : limit_(limit), shards_(std::make_unique<Shard[]>(shard_count)) {
  if (limit_.burst == 0) limit_.burst = limit_.rate;
  for (std::size_t i = 0; i < shard_count; ++i) shards_[i].max_keys = std::max<std::size_t>(1, max_keys / shard_count);
}

TokenBuckets::~TokenBuckets() = default;

std::uint32_t TokenBuckets::take(std::string_view key, std::chrono::steady_clock::time_point now) {
  const double rate = limit_.rate, burst = limit_.burst;
  Shard& shard = shards_[std::hash<std::string_view>{}(key) & (shard_count - 1)];
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= shard.max_keys) {
      // Drop every bucket that has refilled (as good as absent); if all are busy, the stalest.
      const auto full_after = std::chrono::duration<double>(burst / rate);
      auto stalest = shard.buckets.begin();
      for (auto b = shard.buckets.begin(); b != shard.buckets.end();) {
        if (now - b->second.updated >= full_after) {
          b = shard.buckets.erase(b);
          continue;
        }
        if (b->second.updated < stalest->second.updated) stalest = b;
        ++b;
      }
      if (shard.buckets.size() >= shard.max_keys) shard.buckets.erase(stalest);
    }
    it = shard.buckets.emplace(std::string(key), Bucket{burst, now}).first;
  } else {
    const double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    it->second.tokens = std::min(burst, it->second.tokens + std::max(0.0, elapsed) * rate);
    it->second.updated = now;
  }
  Bucket& b = it->second;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return static_cast<std::uint32_t>(std::max(1.0, std::ceil((1.0 - b.tokens) / rate)));
}

std::size_t TokenBuckets::size() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < shard_count; ++i) {
    std::lock_guard lock(shards_[i].mutex);
    n += shards_[i].buckets.size();
  }
  return n;
}

FilterSpec address_rate_limit_filter(RateLimit limit, std::size_t max_keys) {
  auto buckets = std::make_shared<TokenBuckets>(limit, max_keys);
  return {"kernel.rate_limit_by_address", filter_order::rate_limit_by_address, true,
          [buckets](Request& req, const RouteInfo&) -> std::optional<Response> {
            if (auto wait = buckets->take(req.remote_address))
              return too_many_requests(wait, "too many requests from this address; retry after " +
                                                 std::to_string(wait) + " s");
            return std::nullopt;
          }};
}

FilterSpec principal_rate_limit_filter(RateLimit limit, std::size_t max_keys) {
  auto buckets = std::make_shared<TokenBuckets>(limit, max_keys);
  return {"kernel.rate_limit_by_principal", filter_order::rate_limit, false,
          [buckets](Request& req, const RouteInfo&) -> std::optional<Response> {
            if (req.context.principal.anonymous()) return std::nullopt;
            if (auto wait = buckets->take(req.context.principal.subject))
              return too_many_requests(wait, "too many requests for this principal; retry after " +
                                                 std::to_string(wait) + " s");
            return std::nullopt;
          }};
}

} // namespace tmfd::http
