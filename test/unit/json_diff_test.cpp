// The JSON Patch the audit log shows between two versions (resource/json_diff.hpp): applied with
// the engine's own RFC 6902 implementation, it turns the first version into the second.
#include <catch2/catch.hpp>

#include <tmfd/json.hpp>

#include "resource/json_diff.hpp"
#include "resource/patch.hpp"

namespace json = tmfd::json;
using namespace tmfd::resource;

namespace {

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

void check_round_trip(const json::object& from, const json::object& to) {
  auto patch = json_diff(from, to);
  INFO(json::serialize(patch));
  json::object applied = from;
  apply_json_patch(applied, patch);
  CHECK(applied == to);
}

} // namespace

TEST_CASE("json diff: identical documents need no operation", "[json-diff]") {
  CHECK(json_diff(obj(R"({"a":1,"b":{"c":[1,2]}})"), obj(R"({"b":{"c":[1,2]},"a":1})")).empty());
}

TEST_CASE("json diff: adds, removes and replaces, nested objects member by member", "[json-diff]") {
  auto from = obj(R"({"name":"a","gone":true,"nested":{"keep":1,"change":"x","drop":null},"list":[1,2,3]})");
  auto to = obj(R"({"name":"b","nested":{"keep":1,"change":"y","new":{"deep":1}},"list":[1,3],"added":"z"})");
  auto patch = json_diff(from, to);
  CHECK(patch == json::parse(R"([
    {"op":"replace","path":"/name","value":"b"},
    {"op":"remove","path":"/gone"},
    {"op":"replace","path":"/nested/change","value":"y"},
    {"op":"remove","path":"/nested/drop"},
    {"op":"add","path":"/nested/new","value":{"deep":1}},
    {"op":"replace","path":"/list","value":[1,3]},
    {"op":"add","path":"/added","value":"z"}])"));
  check_round_trip(from, to);
}

TEST_CASE("json diff: member names with '/' and '~' are escaped as RFC 6901 says", "[json-diff]") {
  auto from = obj(R"({"a/b":1,"c~d":{"e":1}})");
  auto to = obj(R"({"a/b":2,"c~d":{"e":2}})");
  CHECK(json_diff(from, to) == json::parse(R"([{"op":"replace","path":"/a~1b","value":2},)"
                                           R"({"op":"replace","path":"/c~0d/e","value":2}])"));
  check_round_trip(from, to);
}

TEST_CASE("json diff: a value that changes type is replaced whole", "[json-diff]") {
  check_round_trip(obj(R"({"a":{"b":1},"c":[1]})"), obj(R"({"a":[1],"c":{"d":1}})"));
  check_round_trip(obj(R"({"a":null})"), obj(R"({"a":{"b":null}})"));
}
