// The token buckets behind the kernel's rate-limit filters, on a clock the test moves.
#include <catch2/catch.hpp>

#include <string>

#include "http/rate_limit.hpp"

using namespace tmfd::http;
using namespace std::chrono_literals;

namespace {
const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
}

TEST_CASE("a bucket serves its burst, then says how long to wait, then refills at the rate", "[rate]") {
  TokenBuckets b({.rate = 2, .burst = 4}, 1000);
  for (int i = 0; i < 4; ++i) CHECK(b.take("a", t0) == 0);
  CHECK(b.take("a", t0) == 1);             // half a second to the next token: Retry-After 1
  CHECK(b.take("a", t0 + 499ms) == 1);
  CHECK(b.take("a", t0 + 600ms) == 0);     // one token back (half a second at 2 per second)
  CHECK(b.take("a", t0 + 600ms) == 1);
  CHECK(b.take("a", t0 + 100s) == 0);      // refilled to the burst, not beyond
  for (int i = 0; i < 3; ++i) CHECK(b.take("a", t0 + 100s) == 0);
  CHECK(b.take("a", t0 + 100s) == 1);
  CHECK(b.take("b", t0) == 0);             // keys are independent
}

TEST_CASE("a refused request takes no token; a slow rate gives a longer Retry-After", "[rate]") {
  TokenBuckets b({.rate = 1, .burst = 0}, 1000);  // burst 0: the rate
  CHECK(b.take("a", t0) == 0);
  for (int i = 0; i < 10; ++i) CHECK(b.take("a", t0 + 100ms) == 1);
  CHECK(b.take("a", t0 + 1s) == 0);
}

TEST_CASE("buckets are bounded: idle keys are forgotten first, then the stalest", "[rate]") {
  const std::size_t max_keys = 64;  // 4 per shard
  TokenBuckets b({.rate = 1, .burst = 1}, max_keys);
  for (int i = 0; i < 10000; ++i) CHECK(b.take("key-" + std::to_string(i), t0 + std::chrono::milliseconds(i)) == 0);
  CHECK(b.size() <= max_keys);
  // A key kept busy is not forgotten while idle ones come and go around it.
  TokenBuckets busy({.rate = 1, .burst = 1}, max_keys);
  CHECK(busy.take("busy", t0) == 0);
  for (int i = 0; i < 900; ++i) {  // under a second: the busy bucket gets no token back
    const auto now = t0 + std::chrono::milliseconds(i);
    busy.take("other-" + std::to_string(i), now - 10s);  // each other key long idle by now
    CHECK(busy.take("busy", now) != 0);                   // still empty: not forgotten
  }
}
