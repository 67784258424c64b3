// Hub callback URLs: parsing, and the allow list that keeps hubs from reaching arbitrary hosts.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "delivery/callback_policy.hpp"

using namespace tmfd::delivery;

namespace {

CallbackUrl url(const std::string& text) {
  std::string problem;
  auto parsed = parse_callback_url(text, problem);
  INFO(text << ": " << problem);
  REQUIRE(parsed);
  return *parsed;
}

std::string refusal(const std::string& text) {
  std::string problem;
  auto parsed = parse_callback_url(text, problem);
  CHECK_FALSE(parsed);
  return problem;
}

} // namespace

TEST_CASE("callback URLs: scheme, host, default ports and target", "[delivery][unit]") {
  auto plain = url("http://Receiver.Example.com/listener/event?x=1");
  CHECK_FALSE(plain.tls);
  CHECK(plain.host == "receiver.example.com");
  CHECK(plain.port == "80");
  CHECK(plain.target == "/listener/event?x=1");

  auto secure = url("https://10.0.0.5:8443");
  CHECK(secure.tls);
  CHECK(secure.port == "8443");
  CHECK(secure.target == "/");

  auto v6 = url("http://[::1]:9000/cb");
  CHECK(v6.host == "::1");
  CHECK(v6.port == "9000");
}

TEST_CASE("callback URLs: what is refused, and why", "[delivery][unit]") {
  CHECK(refusal("ftp://example.com/x").find("scheme") != std::string::npos);
  CHECK(refusal("example.com/listener").find("absolute") != std::string::npos);
  CHECK(refusal("http://user:pw@example.com/").find("user") != std::string::npos);
  CHECK(refusal("http:///path").find("host") != std::string::npos);
  CHECK(refusal("http://example.com:99999/").find("port") != std::string::npos);
  CHECK(refusal("http://example.com:0/").find("port") != std::string::npos);
  CHECK(refusal("http://example.com/a b").find("spaces") != std::string::npos);
  CHECK(refusal("http://example.com/#frag").find("fragment") != std::string::npos);
}

TEST_CASE("allow list: names, ports, subdomains and networks", "[delivery][unit]") {
  CallbackPolicy policy({"crm.example.com", "hooks.example.net:8443", "*.partner.org", "10.20.0.0/16", "127.0.0.1"});
  CHECK(policy.allows(url("https://crm.example.com/x")));
  CHECK(policy.allows(url("http://CRM.example.com:9000/x")));  // a name entry without port: any port
  CHECK(policy.allows(url("https://hooks.example.net:8443/")));
  CHECK_FALSE(policy.allows(url("https://hooks.example.net/")));  // port 443 is not 8443
  CHECK(policy.allows(url("https://a.b.partner.org/")));
  CHECK_FALSE(policy.allows(url("https://partner.org/")));  // *.suffix means subdomains only
  CHECK_FALSE(policy.allows(url("https://evilpartner.org/")));
  CHECK(policy.allows(url("http://10.20.3.4/")));
  CHECK_FALSE(policy.allows(url("http://10.21.0.1/")));
  CHECK(policy.allows(url("http://127.0.0.1:9/")));
  CHECK_FALSE(policy.allows(url("http://127.0.0.2/")));
  CHECK_FALSE(policy.allows(url("http://169.254.169.254/latest/meta-data")));
  CHECK_FALSE(policy.allows(url("http://localhost/")));
}

TEST_CASE("allow list: resolved addresses are checked for address entries", "[delivery][unit]") {
  CallbackPolicy policy({"crm.example.com", "10.20.0.0/16"});
  // A host allowed by name is trusted to resolve where its owner says.
  CHECK(policy.allows_address(url("https://crm.example.com/"), "192.0.2.7"));
  // An address literal must still be inside an allowed network when connecting.
  CHECK(policy.allows_address(url("http://10.20.1.1/"), "10.20.1.1"));
  CHECK_FALSE(policy.allows_address(url("http://other.example.com/"), "192.0.2.7"));
  CHECK(policy.allows_address(url("http://other.example.com/"), "10.20.9.9"));
}

TEST_CASE("allow list: an empty list allows nothing", "[delivery][unit]") {
  CallbackPolicy policy({});
  CHECK_FALSE(policy.allows(url("http://127.0.0.1/")));
  CHECK_FALSE(policy.allows(url("https://example.com/")));
}

TEST_CASE("allow list: malformed entries are refused at start", "[delivery][unit]") {
  CHECK_THROWS_AS(CallbackPolicy({"10.0.0.0/33"}), std::invalid_argument);
  CHECK_THROWS_AS(CallbackPolicy({"10.0.0.0/"}), std::invalid_argument);
  CHECK_THROWS_AS(CallbackPolicy({"host:notaport"}), std::invalid_argument);
  CHECK_THROWS_AS(CallbackPolicy({""}), std::invalid_argument);
}
