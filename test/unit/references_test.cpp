#include <catch2/catch.hpp>

#include <tmfd/resources.hpp>

using tmfd::is_external_reference;
namespace json = boost::json;

namespace {
json::object ref(const char* href) { return {{"id", "1"}, {"href", href}}; }
} // namespace

TEST_CASE("a reference is external when its href is an absolute URL of another server") {
  CHECK(is_external_reference(ref("https://other.example/tmf-api/x/1"), ""));
  CHECK(is_external_reference(ref("https://other.example/tmf-api/x/1"), "http://tmfd.example"));
  CHECK(is_external_reference(ref("http://tmfd.example:8081/x/1"), "http://tmfd.example:8080"));
  CHECK(is_external_reference(ref("http://tmfd.example.evil/x/1"), "http://tmfd.example"));
  CHECK(is_external_reference(ref("git+ssh://host/x"), ""));
}

TEST_CASE("a reference is local without href, with a relative href, or under the own base URL") {
  CHECK_FALSE(is_external_reference(json::object{{"id", "1"}}, ""));
  CHECK_FALSE(is_external_reference(json::object{{"id", "1"}, {"href", 5}}, ""));
  CHECK_FALSE(is_external_reference(ref("/tmf-api/x/1"), ""));
  CHECK_FALSE(is_external_reference(ref("x/1"), "http://tmfd.example"));
  CHECK_FALSE(is_external_reference(ref("://host/x"), ""));
  CHECK_FALSE(is_external_reference(ref("1http://host/x"), ""));
  CHECK_FALSE(is_external_reference(ref("http://tmfd.example/tmf-api/x/1"), "http://tmfd.example"));
  CHECK_FALSE(is_external_reference(ref("HTTP://TMFD.example/tmf-api/x/1"), "http://tmfd.example/"));
  CHECK_FALSE(is_external_reference(ref("http://tmfd.example"), "http://tmfd.example"));
}
