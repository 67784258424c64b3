// Routing: exact segments before {param}, 404 versus 405 with Allow.
#include <catch2/catch.hpp>

#include "http/router.hpp"
#include "observability/metrics.hpp"

using namespace tmfd::http;

namespace {
Handler tag(std::string* out, std::string value) {
  return [out, value](Request&, Reply) { *out = value; };
}
} // namespace

TEST_CASE("router matches exact segments before parameters and decodes parameters") {
  tmfd::observability::Metrics metrics;
  Router r(metrics);
  std::string hit;
  r.add(Method::Get, "/api/item/{id}", tag(&hit, "item"));
  r.add(Method::Get, "/api/item/special", tag(&hit, "special"));
  r.add(Method::Post, "/api/item", tag(&hit, "create"));

  std::vector<std::pair<std::string, std::string>> params;
  auto m = r.match(Method::Get, "/api/item/special", params);
  REQUIRE(m.route);
  CHECK(m.route->pattern == "/api/item/special");
  CHECK(params.empty());

  m = r.match(Method::Get, "/api/item/a%20b", params);
  REQUIRE(m.route);
  REQUIRE(params.size() == 1);
  CHECK(params[0].first == "id");
  CHECK(params[0].second == "a b");
}

TEST_CASE("router tells unknown paths from known paths with another method") {
  tmfd::observability::Metrics metrics;
  Router r(metrics);
  std::string hit;
  r.add(Method::Get, "/api/item/{id}", tag(&hit, "get"));
  r.add(Method::Delete, "/api/item/{id}", tag(&hit, "delete"));
  std::vector<std::pair<std::string, std::string>> params;

  auto m = r.match(Method::Post, "/api/item/1", params);
  CHECK_FALSE(m.route);
  CHECK(m.path_known);
  CHECK(m.allow == "GET, DELETE");

  params.clear();
  m = r.match(Method::Get, "/api/other", params);
  CHECK_FALSE(m.route);
  CHECK_FALSE(m.path_known);
  params.clear();
  CHECK_FALSE(r.match(Method::Get, "/api/item/1/extra", params).route);
  params.clear();
  CHECK_FALSE(r.match(Method::Get, "/", params).route);
}

TEST_CASE("router refuses malformed and duplicate patterns") {
  tmfd::observability::Metrics metrics;
  Router r(metrics);
  std::string hit;
  r.add(Method::Get, "/a/{id}", tag(&hit, "x"));
  CHECK_THROWS_AS(r.add(Method::Get, "/a/{id}", tag(&hit, "y")), std::invalid_argument);
  CHECK_THROWS_AS(r.add(Method::Get, "/a/{other}", tag(&hit, "y")), std::invalid_argument);
  CHECK_THROWS_AS(r.add(Method::Get, "/a//b", tag(&hit, "y")), std::invalid_argument);
  CHECK_THROWS_AS(r.add(Method::Get, "/a/{}", tag(&hit, "y")), std::invalid_argument);
}
