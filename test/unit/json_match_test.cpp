// Filter matching on unindexed attributes, including paths through arrays.
#include <catch2/catch.hpp>

#include "query/json_match.hpp"

using tmfd::query::FilterOp;
using tmfd::query::json_matches;

namespace {
const auto doc = boost::json::parse(R"({
  "name": "Smith", "age": 42, "vip": true, "validFor": {"startDateTime": "2024-01-01T00:00:00Z"},
  "relatedParty": [{"id": "1", "role": "owner"}, {"id": "2", "role": "user"}]
})");
}

TEST_CASE("equality and OR lists on strings, numbers and booleans") {
  CHECK(json_matches(doc, "name", FilterOp::Eq, {"Smith"}));
  CHECK(json_matches(doc, "name", FilterOp::Eq, {"Jones", "Smith"}));
  CHECK_FALSE(json_matches(doc, "name", FilterOp::Eq, {"smith"}));
  CHECK(json_matches(doc, "age", FilterOp::Eq, {"42"}));
  CHECK(json_matches(doc, "vip", FilterOp::Eq, {"true"}));
  CHECK_FALSE(json_matches(doc, "vip", FilterOp::Eq, {"false"}));
  CHECK_FALSE(json_matches(doc, "missing", FilterOp::Eq, {"x"}));
}

TEST_CASE("range operators compare numbers numerically and dates as text") {
  CHECK(json_matches(doc, "age", FilterOp::Gt, {"9"}));  // text order would say "42" < "9"
  CHECK(json_matches(doc, "age", FilterOp::Lte, {"42"}));
  CHECK_FALSE(json_matches(doc, "age", FilterOp::Lt, {"42"}));
  CHECK_FALSE(json_matches(doc, "age", FilterOp::Gt, {"abc"}));
  CHECK(json_matches(doc, "validFor.startDateTime", FilterOp::Gte, {"2023-12-31T00:00:00Z"}));
  CHECK_FALSE(json_matches(doc, "validFor.startDateTime", FilterOp::Gt, {"2024-06-01T00:00:00Z"}));
}

TEST_CASE("a path through an array matches when any element matches") {
  CHECK(json_matches(doc, "relatedParty.id", FilterOp::Eq, {"2"}));
  CHECK(json_matches(doc, "relatedParty.role", FilterOp::Eq, {"owner"}));
  CHECK_FALSE(json_matches(doc, "relatedParty.id", FilterOp::Eq, {"3"}));
}
