// The security module's pure parts: base64url as JOSE writes it, and access rule grants.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "access_rules.hpp"
#include "base64url.hpp"

using namespace tmfd::security;

TEST_CASE("base64url: round trips and refuses other spellings", "[security][unit]") {
  const std::vector<std::string> samples{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\xff\xfe\x00\x01", 4)};
  for (const auto& bytes : samples)
    CHECK(base64url_decode(base64url_encode(bytes)) == bytes);
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK_FALSE(base64url_decode("Zm9v=").has_value());   // padding
  CHECK_FALSE(base64url_decode("+/8").has_value());     // the other alphabet
  CHECK_FALSE(base64url_decode("Zm9 v").has_value());   // whitespace
  CHECK_FALSE(base64url_decode("Z").has_value());       // a length no bytes have
  CHECK_FALSE(base64url_decode("Zh").has_value());      // non-zero leftover bits ("Zg" is "f")
  CHECK(base64url_decode("Zg") == std::string("f"));
}

TEST_CASE("access rules: globs", "[security][unit]") {
  CHECK(glob_matches("*", ""));
  CHECK(glob_matches("*", "party"));
  CHECK(glob_matches("party", "party"));
  CHECK_FALSE(glob_matches("party", "partyRole"));
  CHECK(glob_matches("party*", "partyRole"));
  CHECK(glob_matches("*Catalog", "productCatalog"));
  CHECK(glob_matches("p*t*g", "productCatalog"));
  CHECK_FALSE(glob_matches("*Catalog", "productCatalogs"));
}

TEST_CASE("access rules: grants parse and decide", "[security][unit]") {
  auto g = parse_grant(" read, replayDeadLetters on party/hub ");
  CHECK(g.operations == std::vector<std::string>{"read", "replayDeadLetters"});
  CHECK(g.api == "party");
  CHECK(g.kind == "hub");
  CHECK_FALSE(g.own_party_only);
  CHECK(parse_grant("update on party/individual where relatedParty = caller").own_party_only);
  for (const char* bad : {"read party", "read on party", "on party/x", "read on pa rty/x", "read on a/b where x = y", "r!d on a/b"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_grant(bad), std::invalid_argument);
  }

  boost::json::object cfg{{"reader", boost::json::array{"read on party/*"}},
                          {"own", boost::json::array{"read, update on party/individual where relatedParty = caller"}}};
  auto rules = AccessRules::parse(cfg);
  const Action get{"party", "individual", "get", "read"};
  const Action patch{"party", "individual", "patch", "update"};
  CHECK(rules.decide({"reader"}, get) == Decision::Allow);
  CHECK(rules.decide({"own"}, get) == Decision::AllowOwnPartyOnly);
  CHECK(rules.decide({"own", "reader"}, get) == Decision::Allow);  // an unrestricted grant lifts it
  CHECK(rules.decide({"reader"}, patch) == Decision::Deny);
  CHECK(rules.decide({"own"}, patch) == Decision::AllowOwnPartyOnly);
  CHECK(rules.decide({}, get) == Decision::Deny);
  CHECK_THROWS_WITH(AccessRules::parse(boost::json::object{{"x", boost::json::array{"nope"}}}),
                    Catch::Contains("role 'x': grant 'nope'"));
}
