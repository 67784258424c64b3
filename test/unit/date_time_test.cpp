// RFC 3339 date-times as instants.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include <tmfd/date_time.hpp>
#include <tmfd/query.hpp>

using tmfd::date_time_ms;
using tmfd::is_date_time;

TEST_CASE("date-times parse to the same instant whatever their spelling") {
  auto utc = date_time_ms("2024-03-01T10:00:00Z");
  REQUIRE(utc);
  CHECK(*utc == 1709287200000);
  CHECK(date_time_ms("2024-03-01T12:00:00+02:00") == utc);
  CHECK(date_time_ms("2024-03-01T05:30:00-04:30") == utc);
  CHECK(date_time_ms("2024-03-01t10:00:00z") == utc);
  CHECK(date_time_ms("2024-03-01T10:00:00.250Z") == *utc + 250);
  CHECK(date_time_ms("2024-03-01T10:00:00.5Z") == *utc + 500);
}

TEST_CASE("text order and time order differ, instants do not") {
  // As text, ".500Z" sorts before "Z"; as instants it is later.
  CHECK(*date_time_ms("2000-01-01T10:00:00.500Z") > *date_time_ms("2000-01-01T10:00:00Z"));
}

TEST_CASE("what is not an RFC 3339 date-time is refused") {
  for (const char* bad : {"2024-03-01", "2024-03-01T10:00:00", "2024-13-01T10:00:00Z", "2024-03-01T24:00:00Z",
                          "2024-03-01T10:00:00.Z", "2024-03-01T10:00:00+2:00", "yesterday", "", "2024-03-01T10:00:00Zx"}) {
    INFO(bad);
    CHECK_FALSE(is_date_time(bad));
  }
}

TEST_CASE("the server's timestamps are RFC 3339 in UTC with milliseconds, and follow the clock") {
  using namespace std::chrono;
  auto clock_ms = [] { return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(); };
  const auto before = clock_ms();
  const std::string first = tmfd::now_timestamp();
  const auto after = clock_ms();
  INFO(first);
  REQUIRE(first.size() == 24);  // 2026-12-02T11:42:10.123Z
  REQUIRE(is_date_time(first));
  CHECK(first.back() == 'Z');
  CHECK(*date_time_ms(first) >= before);
  CHECK(*date_time_ms(first) <= after);
  // The text up to the second is kept per thread for a second: a stamp made after the next
  // second began must show that second, not the kept one.
  std::this_thread::sleep_for(milliseconds(1100));
  const auto later_clock = clock_ms();
  const std::string later = tmfd::now_timestamp();
  INFO(later);
  CHECK(*date_time_ms(later) >= later_clock);
  CHECK(*date_time_ms(later) - *date_time_ms(first) >= 1100);
}
