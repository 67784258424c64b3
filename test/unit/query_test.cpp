// TMF630 query-string parsing: paging, projection, sorting, filters and their 400s.
#include <catch2/catch.hpp>

#include <string>

#include <tmfd/error.hpp>

#include "query/list_query.hpp"

using tmfd::ApiError;
using namespace tmfd::query;

namespace {

// Runs the parser expecting a 400 and returns the message so tests can check it names the
// offending parameter.
std::string bad_query(std::string_view q) {
  try {
    parse_list_query(q);
  } catch (const ApiError& e) {
    CHECK(e.http_status() == 400);
    CHECK(e.code() == "BAD_REQUEST");
    return e.detail();
  }
  FAIL("expected ApiError 400 for query '" << std::string(q) << "'");
  return {};
}

} // namespace

TEST_CASE("empty query gives defaults", "[query]") {
  for (std::string_view q : {"", "&", "&&"}) {
    auto lq = parse_list_query(q);
    CHECK(lq.offset == 0);
    CHECK_FALSE(lq.limit.has_value());
    CHECK(lq.fields.empty());
    CHECK(lq.sort.empty());
    CHECK(lq.filters.empty());
  }
}

TEST_CASE("offset and limit", "[query]") {
  auto q = parse_list_query("offset=20&limit=10");
  CHECK(q.offset == 20);
  REQUIRE(q.limit.has_value());
  CHECK(*q.limit == 10);

  CHECK(*parse_list_query("limit=0").limit == 0);
  CHECK(parse_list_query("limit=10&").limit == 10u);  // trailing '&' is harmless
  CHECK(*parse_list_query("limit=%31%32").limit == 12);  // decoded before the digit check
}

TEST_CASE("bad offset and limit are 400 naming the parameter", "[query]") {
  CHECK(bad_query("limit=-1") == "query parameter 'limit' must be a non-negative integer");
  CHECK(bad_query("limit=abc") == "query parameter 'limit' must be a non-negative integer");
  CHECK(bad_query("limit=1.5") == "query parameter 'limit' must be a non-negative integer");
  CHECK(bad_query("limit=%2B5") == "query parameter 'limit' must be a non-negative integer");
  CHECK(bad_query("limit=+5") == "query parameter 'limit' must be a non-negative integer");
  CHECK(bad_query("offset=x").find("'offset'") != std::string::npos);
  CHECK(bad_query("offset=-3").find("'offset'") != std::string::npos);
  CHECK(bad_query("limit=99999999999999999999999999").find("'limit'") != std::string::npos);
  CHECK(bad_query("limit=").find("'limit'") != std::string::npos);
  CHECK(bad_query("limit").find("'limit'") != std::string::npos);
  CHECK(bad_query("limit=1&limit=2").find("'limit'") != std::string::npos);
  CHECK(bad_query("offset=1&offset=1").find("'offset'") != std::string::npos);
}

TEST_CASE("fields", "[query]") {
  auto q = parse_list_query("fields=name,status,relatedParty.role,%40type");
  CHECK(q.fields == std::vector<std::string>{"name", "status", "relatedParty.role", "@type"});
  CHECK(q.filters.empty());

  CHECK(bad_query("fields=").find("'fields'") != std::string::npos);
  CHECK(bad_query("fields=a,,b").find("'fields'") != std::string::npos);
  CHECK(bad_query("fields=a,").find("'fields'") != std::string::npos);
  CHECK(bad_query("fields=a..b").find("'fields'") != std::string::npos);
  CHECK(bad_query("fields=a%20b").find("'fields'") != std::string::npos);
  CHECK(bad_query("fields=a&fields=b").find("'fields'") != std::string::npos);
}

TEST_CASE("sort", "[query]") {
  auto q = parse_list_query("sort=-lastUpdate,name,+id,%2Bversion,%2Dsize,a.b");
  REQUIRE(q.sort.size() == 6);
  CHECK(q.sort[0].path == "lastUpdate");
  CHECK(q.sort[0].descending);
  CHECK(q.sort[1].path == "name");
  CHECK_FALSE(q.sort[1].descending);
  CHECK(q.sort[2].path == "id");  // a raw '+' is the ascending sign, not a space
  CHECK_FALSE(q.sort[2].descending);
  CHECK(q.sort[3].path == "version");
  CHECK_FALSE(q.sort[3].descending);
  CHECK(q.sort[4].path == "size");
  CHECK(q.sort[4].descending);
  CHECK(q.sort[5].path == "a.b");

  CHECK(bad_query("sort=").find("'sort'") != std::string::npos);
  CHECK(bad_query("sort=-").find("'sort'") != std::string::npos);
  CHECK(bad_query("sort=+").find("'sort'") != std::string::npos);
  CHECK(bad_query("sort=name,").find("'sort'") != std::string::npos);
  CHECK(bad_query("sort=na$me").find("'sort'") != std::string::npos);
  CHECK(bad_query("sort=a&sort=b").find("'sort'") != std::string::npos);
}

TEST_CASE("equality filters", "[query]") {
  auto q = parse_list_query("status=active");
  REQUIRE(q.filters.size() == 1);
  CHECK(q.filters[0].path == "status");
  CHECK(q.filters[0].op == FilterOp::Eq);
  CHECK(q.filters[0].values == std::vector<std::string>{"active"});

  SECTION("comma list is an OR of values") {
    auto f = parse_list_query("status=active,pending").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].values == std::vector<std::string>{"active", "pending"});
  }
  SECTION("explicit .eq suffix, with a list") {
    auto f = parse_list_query("status.eq=a,b").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].path == "status");
    CHECK(f[0].op == FilterOp::Eq);
    CHECK(f[0].values.size() == 2);
  }
  SECTION("nested paths and @type") {
    auto f = parse_list_query("relatedParty.id=42&%40type=Individual&@baseType=Party").filters;
    REQUIRE(f.size() == 3);
    CHECK(f[0].path == "relatedParty.id");
    CHECK(f[1].path == "@type");
    CHECK(f[1].values[0] == "Individual");
    CHECK(f[2].path == "@baseType");
  }
  SECTION("legal segment characters") {
    auto f = parse_list_query("a_b-C9.x@y=1").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].path == "a_b-C9.x@y");
  }
  SECTION("repeated params are additional AND filters") {
    auto f = parse_list_query("status=a&status=b&status=a").filters;
    REQUIRE(f.size() == 3);
    CHECK(f[0].values == std::vector<std::string>{"a"});
    CHECK(f[1].values == std::vector<std::string>{"b"});
    CHECK(f[2].values == std::vector<std::string>{"a"});
  }
  SECTION("a single segment named like an operator is an attribute") {
    auto f = parse_list_query("gt=5").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].path == "gt");
    CHECK(f[0].op == FilterOp::Eq);
  }
  SECTION("an '=' inside the value belongs to the value") {
    auto f = parse_list_query("name=a=b").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].values[0] == "a=b");
  }
}

TEST_CASE("operator filters", "[query]") {
  auto q = parse_list_query("a.gt=1&b.gte=2&c.lt=3&d.lte=4&x.y.gt=5");
  REQUIRE(q.filters.size() == 5);
  CHECK(q.filters[0].op == FilterOp::Gt);
  CHECK(q.filters[1].op == FilterOp::Gte);
  CHECK(q.filters[2].op == FilterOp::Lt);
  CHECK(q.filters[3].op == FilterOp::Lte);
  CHECK(q.filters[4].op == FilterOp::Gt);
  CHECK(q.filters[4].path == "x.y");
  CHECK(q.filters[4].values == std::vector<std::string>{"5"});

  SECTION("only the last segment is an operator") {
    auto f = parse_list_query("gt.name=1").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].path == "gt.name");
    CHECK(f[0].op == FilterOp::Eq);
  }
  SECTION("operator suffixes are case sensitive") {
    auto f = parse_list_query("a.GT=1").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].path == "a.GT");
    CHECK(f[0].op == FilterOp::Eq);
  }
  SECTION("range on a date with an encoded ':' and '+'") {
    auto f = parse_list_query("lastUpdate.gte=2024-01-01T00%3A00%3A00%2B01%3A00").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].values[0] == "2024-01-01T00:00:00+01:00");
  }
  SECTION("range operators take a single value") {
    CHECK(bad_query("a.gt=1,2") == "query parameter 'a.gt' takes a single value");
    CHECK(bad_query("a.lte=1,2").find("'a.lte'") != std::string::npos);
  }
  SECTION("an operator needs an attribute") {
    CHECK(bad_query(".gt=1").find("'.gt'") != std::string::npos);
  }
}

TEST_CASE("percent-decoding happens after splitting", "[query]") {
  SECTION("encoded comma stays in one value") {
    auto f = parse_list_query("name=Smith%2C%20John,Doe").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].values == std::vector<std::string>{"Smith, John", "Doe"});
  }
  SECTION("encoded '&' and '=' stay in the value") {
    auto f = parse_list_query("name=a%26b%3Dc&x=1").filters;
    REQUIRE(f.size() == 2);
    CHECK(f[0].values[0] == "a&b=c");
    CHECK(f[1].path == "x");
  }
  SECTION("'+' is a space in values") {
    auto f = parse_list_query("name=John+Doe").filters;
    CHECK(f[0].values[0] == "John Doe");
  }
  SECTION("an encoded comma in a range value is one value") {
    auto f = parse_list_query("a.gt=1%2C5").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].values == std::vector<std::string>{"1,5"});
  }
  SECTION("UTF-8 survives") {
    auto f = parse_list_query("name=Caf%C3%A9").filters;
    CHECK(f[0].values[0] == "Caf\xC3\xA9");
  }
  SECTION("names are decoded too") {
    auto f = parse_list_query("related%50arty.id=1").filters;
    REQUIRE(f.size() == 1);
    CHECK(f[0].path == "relatedParty.id");
  }
}

TEST_CASE("bad filters are 400 naming the parameter", "[query]") {
  CHECK(bad_query("status=") == "query parameter 'status' has an empty value");
  CHECK(bad_query("status=a,,b") == "query parameter 'status' has an empty value");
  CHECK(bad_query("status=a,") == "query parameter 'status' has an empty value");
  CHECK(bad_query("status=,a") == "query parameter 'status' has an empty value");
  CHECK(bad_query("status") == "query parameter 'status' has no value");
  CHECK(bad_query("a=1&status&b=2") == "query parameter 'status' has no value");
  CHECK(bad_query("=active").find("empty name") != std::string::npos);
  CHECK(bad_query("a..b=1").find("'a..b'") != std::string::npos);
  CHECK(bad_query(".a=1").find("'.a'") != std::string::npos);
  CHECK(bad_query("a.=1").find("'a.'") != std::string::npos);
  CHECK(bad_query("a%20b=1").find("'a b'") != std::string::npos);
  CHECK(bad_query("a$b=1").find("'a$b'") != std::string::npos);
  CHECK(bad_query("a/b=1").find("'a/b'") != std::string::npos);
  CHECK(bad_query("caf%C3%A9=1").find("invalid attribute name") != std::string::npos);
}

TEST_CASE("malformed percent escapes are 400", "[query]") {
  CHECK(bad_query("name=%") == "query parameter 'name' has a malformed percent escape");
  CHECK(bad_query("name=%4") == "query parameter 'name' has a malformed percent escape");
  CHECK(bad_query("name=%zz").find("'name'") != std::string::npos);
  CHECK(bad_query("name=a,%G1").find("'name'") != std::string::npos);
  CHECK(bad_query("limit=%").find("'limit'") != std::string::npos);
  CHECK(bad_query("sort=-%").find("'sort'") != std::string::npos);
  CHECK(bad_query("fields=%x").find("'fields'") != std::string::npos);
  CHECK(bad_query("na%me=1").find("malformed percent escape") != std::string::npos);
  // Decoded bytes must be UTF-8 text without NUL.
  CHECK(bad_query("name=%FF").find("UTF-8") != std::string::npos);
  CHECK(bad_query("name=%C3").find("UTF-8") != std::string::npos);
  CHECK(bad_query("name=%C0%AF").find("UTF-8") != std::string::npos);      // overlong '/'
  CHECK(bad_query("name=%ED%A0%80").find("UTF-8") != std::string::npos);   // surrogate
  CHECK(bad_query("name=a%00b").find("'name'") != std::string::npos);
}

TEST_CASE("a full query combines everything", "[query]") {
  auto q = parse_list_query(
      "fields=name,status&offset=5&limit=2&sort=-name&status=active,pending&validFor.startDateTime.lt=2025");
  CHECK(q.offset == 5);
  CHECK(q.limit == 2u);
  CHECK(q.fields.size() == 2);
  REQUIRE(q.sort.size() == 1);
  CHECK(q.sort[0].descending);
  REQUIRE(q.filters.size() == 2);
  CHECK(q.filters[0].values.size() == 2);
  CHECK(q.filters[1].path == "validFor.startDateTime");
  CHECK(q.filters[1].op == FilterOp::Lt);
}

TEST_CASE("percent_decode", "[query]") {
  CHECK(percent_decode("") == "");
  CHECK(percent_decode("abc") == "abc");
  CHECK(percent_decode("a+b") == "a b");
  CHECK(percent_decode("%2B%2b%41") == "++A");
  CHECK(percent_decode("100%25") == "100%");
  CHECK(percent_decode("%E2%82%AC") == "\xE2\x82\xAC");
  CHECK_THROWS_AS(percent_decode("%"), ApiError);
  CHECK_THROWS_AS(percent_decode("%2"), ApiError);
  CHECK_THROWS_AS(percent_decode("%g0"), ApiError);
  CHECK_THROWS_AS(percent_decode("%FE"), ApiError);
  try {
    percent_decode("%x");
    FAIL("expected a throw");
  } catch (const ApiError& e) {
    CHECK(e.http_status() == 400);
  }
}
