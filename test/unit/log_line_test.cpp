// Log line shapes: JSON lines keep numbers and booleans typed, text lines write them plainly, and
// callers that pass text (std::string, string_view, literals) are written as strings as before.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include <boost/json.hpp>

#include "observability/log_line.hpp"

using tmfd::log::Level;
using tmfd::observability::format_json;
using tmfd::observability::format_text;
using tmfd::observability::LogLine;

TEST_CASE("JSON log lines write numbers as numbers and booleans as booleans") {
  const std::string text = "hello world";
  const std::uint64_t big = 18446744073709551615ULL;
  const std::string line = format_json(LogLine{"2026-01-01T00:00:00.000Z", Level::Warning, "test", "message", "corr-1",
                                               {{"status", 201},
                                                {"negative", -7},
                                                {"big", big},
                                                {"ratio", 0.5},
                                                {"flag", true},
                                                {"text", text},
                                                {"digits", std::to_string(42)},
                                                {"literal", "abc"}}});
  INFO(line);
  const auto o = boost::json::parse(line).as_object();
  CHECK(o.at("level").as_string() == "WARN");
  CHECK(o.at("component").as_string() == "test");
  CHECK(o.at("correlationId").as_string() == "corr-1");
  CHECK(o.at("status").as_int64() == 201);
  CHECK(o.at("negative").as_int64() == -7);
  CHECK(o.at("big").as_uint64() == big);
  CHECK(o.at("ratio").as_double() == 0.5);
  CHECK(o.at("flag").as_bool() == true);
  CHECK(o.at("text").as_string() == "hello world");
  CHECK(o.at("digits").as_string() == "42");  // text stays text: no guessing from its content
  CHECK(o.at("literal").as_string() == "abc");
}

TEST_CASE("text log lines write typed values plainly and quote text with spaces") {
  const std::string line = format_text(LogLine{"2026-01-01T00:00:00.000Z", Level::Info, "app", "listening", "",
                                               {{"port", 8080}, {"up", false}, {"host", "a b"}}});
  CHECK(line == R"(2026-01-01T00:00:00.000Z INFO [app] listening port=8080 up=false host="a b")");
}
