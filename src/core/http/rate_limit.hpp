#pragma once
// Requests per second per key (a client address, a principal): one token bucket per key, the
// kernel's rate-limit filters (server.rate_limits). Generic: it knows keys, not clients.
//
// Memory is bounded: at most max_keys buckets. A key idle long enough for its bucket to be full
// again is the same as an absent key, so such keys are dropped when room is needed; if none is,
// the least recently used one goes.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include <tmfd/http_filter.hpp>

namespace tmfd::http {

struct RateLimit {
  std::uint32_t rate = 0;   // tokens per second; 0: no limit
  std::uint32_t burst = 0;  // bucket size; 0: the rate (one second's worth)
  bool enabled() const noexcept { return rate > 0; }
};

struct RateLimits {
  RateLimit per_address;
  RateLimit per_principal;
  std::size_t max_keys = 100000;  // per limit
};

class TokenBuckets {
public:
  TokenBuckets(RateLimit limit, std::size_t max_keys);
  ~TokenBuckets();
  TokenBuckets(const TokenBuckets&) = delete;
  TokenBuckets& operator=(const TokenBuckets&) = delete;

  // Takes a token for `key`: 0 when one was there, else the whole seconds to wait for the next
  // (at least 1: the value of Retry-After). Thread-safe; keys are spread over locked shards.
  std::uint32_t take(std::string_view key, std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

  std::size_t size() const;  // keys tracked

private:
  struct Shard;
  RateLimit limit_;
  std::unique_ptr<Shard[]> shards_;
};

// The filter answering 429 with a TMF error body and Retry-After once the client address's
// bucket is empty (order rate_limit_by_address, also on public routes).
FilterSpec address_rate_limit_filter(RateLimit limit, std::size_t max_keys);
// The same per authenticated principal (order rate_limit, after authentication); anonymous
// requests are left to the address limit.
FilterSpec principal_rate_limit_filter(RateLimit limit, std::size_t max_keys);

} // namespace tmfd::http
