// RFC 3339 date-times as instants.
#include <catch2/catch.hpp>

#include <tmfd/date_time.hpp>

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
