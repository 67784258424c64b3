// The engine's declarative checks: mandatory attributes, types, lifecycle, immutables.
#include <catch2/catch.hpp>

#include <tmfd/error.hpp>

#include "resource/rules.hpp"

using namespace tmfd;
using namespace tmfd::resource;

namespace {
ResourceKind kind() {
  return ResourceKind{
      .api = "t", .base_path = "/t", .collection = "thing", .type = "Thing",
      .mandatory = {"name"},
      .attributes = {{"name", AttributeType::String}, {"when", AttributeType::DateTime},
                     {"count", AttributeType::Integer}, {"tags", AttributeType::Array}},
      .immutable = {"serial"},
      .lifecycle = Lifecycle{.field = "status", .initial = "new", .states = {"new", "active", "gone"},
                             .transitions = {{"new", "active"}, {"active", "gone"}},
                             .aliases = {{"gnoe", "gone"}}},
  };
}
int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.http_status();
  }
  return 0;
}
} // namespace

TEST_CASE("mandatory attributes must be present and not empty") {
  auto k = kind();
  CHECK(status_of([&] { check_mandatory(k, json::parse(R"({"name":"x"})").as_object()); }) == 0);
  CHECK(status_of([&] { check_mandatory(k, json::parse(R"({})").as_object()); }) == 400);
  CHECK(status_of([&] { check_mandatory(k, json::parse(R"({"name":""})").as_object()); }) == 400);
  CHECK(status_of([&] { check_mandatory(k, json::parse(R"({"name":null})").as_object()); }) == 400);
}

TEST_CASE("attribute types are checked, date-times strictly") {
  auto k = kind();
  auto check = [&](const char* text) { return status_of([&] { check_attribute_types(k, json::parse(text).as_object()); }); };
  CHECK(check(R"({"name":"x","when":"2024-01-02T03:04:05Z","count":3,"tags":[]})") == 0);
  CHECK(check(R"({"when":"2024-01-02T03:04:05.123+02:00"})") == 0);
  CHECK(check(R"({"name":5})") == 400);
  CHECK(check(R"({"when":"2024-01-02"})") == 400);
  CHECK(check(R"({"when":"yesterday"})") == 400);
  CHECK(check(R"({"count":1.5})") == 400);
  CHECK(check(R"({"tags":{}})") == 400);
  CHECK(check(R"({"@type":7})") == 400);
}

TEST_CASE("lifecycle: initial state, aliases, unknown states and transitions") {
  auto k = kind();
  json::object created = json::parse(R"({"name":"x"})").as_object();
  apply_lifecycle(k, created, nullptr);
  CHECK(created.at("status") == "new");

  json::object prev = json::parse(R"({"status":"active"})").as_object();
  json::object next = json::parse(R"({"status":"gnoe"})").as_object();
  apply_lifecycle(k, next, &prev);
  CHECK(next.at("status") == "gone");

  json::object bad = json::parse(R"({"status":"gone"})").as_object();
  json::object from_new = json::parse(R"({"status":"new"})").as_object();
  CHECK(status_of([&] { apply_lifecycle(k, bad, &from_new); }) == 409);
  json::object unknown = json::parse(R"({"status":"weird"})").as_object();
  CHECK(status_of([&] { apply_lifecycle(k, unknown, nullptr); }) == 400);
}

TEST_CASE("immutable attributes cannot change, but may be repeated unchanged") {
  auto k = kind();
  auto before = json::parse(R"({"id":"1","href":"/t/thing/1","serial":"A"})").as_object();
  CHECK(status_of([&] { check_immutable(k, before, before); }) == 0);
  auto changed = before;
  changed["serial"] = "B";
  CHECK(status_of([&] { check_immutable(k, before, changed); }) == 400);
  auto new_id = before;
  new_id["id"] = "2";
  CHECK(status_of([&] { check_immutable(k, before, new_id); }) == 400);
}
