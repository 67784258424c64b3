// The security module through the real binary: bearer tokens minted here with RSA and P-256 keys
// made at test time, served by an identity provider stand-in in the test process (discovery
// document and key set over HTTP), and the role-based rules of docs/security.md.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "database_access.hpp"
#include "document_server.hpp"
#include "http_client.hpp"
#include "jwt_minter.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string kIndividuals = "/tmf-api/party/v4/individual";
const std::string kOrganizations = "/tmf-api/party/v4/organization";
const std::string kPartyHub = "/tmf-api/party/v4/hub";
const std::string kIndividual = R"({"givenName":"Ada","familyName":"Lovelace"})";

// An identity provider: a realm with a discovery document and a key set, on a local HTTP server.
struct Provider {
  DocumentServer server;
  std::string realm_path;
  std::string issuer;
  SigningKey rsa;
  SigningKey ec;

  explicit Provider(const std::string& realm = "tmf")
      : realm_path("/realms/" + realm), issuer(server.url(realm_path)), rsa(SigningKey::rsa(realm + "-rsa")),
        ec(SigningKey::p256(realm + "-ec")) {
    server.set(realm_path + "/.well-known/openid-configuration",
               json::serialize(json::object{{"issuer", issuer}, {"jwks_uri", server.url(realm_path + "/certs")}}));
    publish({&rsa, &ec});
  }
  void publish(std::initializer_list<const SigningKey*> keys) { server.set(realm_path + "/certs", jwks(keys)); }
  int key_fetches() const { return server.served(realm_path + "/certs"); }

  // Claims of a token for `sub` with realm roles, valid for five minutes.
  json::object claims(const std::string& sub, json::array roles) const {
    const auto now = unix_now();
    return {{"iss", issuer}, {"aud", "tmfd"}, {"sub", sub}, {"azp", "shop"}, {"iat", now},
            {"exp", now + 300}, {"realm_access", json::object{{"roles", std::move(roles)}}}};
  }
  std::string token(const std::string& sub, json::array roles, const std::string& alg = "RS256") const {
    return mint(alg == "ES256" ? ec : rsa, alg, claims(sub, std::move(roles)));
  }
};

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
Headers bearer_json(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

// The security block for `provider`, found through discovery, with `rules` (YAML lines indented
// for the rules mapping) and `extra` keys (indented for the block).
std::string security_yaml(const Provider& provider, const std::string& rules, const std::string& extra = {}) {
  return "  security:\n"
         "    issuers:\n"
         "      main:\n"
         "        issuer: \"" + provider.issuer + "\"\n"
         "        audience: [tmfd]\n"
         "        discovery: true\n"
         "    unknown_key_refresh_min_seconds: 0\n"
         "    role_claims: [realm_access.roles, resource_access.tmfd.roles, scope]\n" + extra +
         "    rules:\n" + rules;
}

TmfdOptions secured(const Provider& provider, const std::string& rules, const std::string& extra = {}) {
  TmfdOptions o;
  o.extra_yaml = security_yaml(provider, rules, extra) + "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n";
  return o;
}

void check_401(const HttpResponse& r, const std::string& description) {
  INFO(r.body);
  CHECK(r.status == 401);
  CHECK(r.header("www-authenticate") ==
        "Bearer realm=\"tmfd\", error=\"invalid_token\", error_description=\"" + description + "\"");
  auto body = r.json().as_object();
  CHECK(body.at("status").as_string() == "401");
  CHECK(body.at("code").as_string() == "UNAUTHORIZED");
  CHECK(body.at("message").as_string() == description);
}

void check_403(const HttpResponse& r) {
  INFO(r.body);
  CHECK(r.status == 403);
  auto body = r.json().as_object();
  CHECK(body.at("status").as_string() == "403");
  CHECK(body.at("code").as_string() == "FORBIDDEN");
  CHECK(body.at("@type").as_string() == "Error");
}

std::string create_individual(HttpClient& c, const std::string& token, const std::string& body = kIndividual) {
  auto r = c.request("POST", kIndividuals, body, bearer_json(token));
  INFO(r.body);
  REQUIRE(r.status == 201);
  return std::string(r.json().as_object().at("id").as_string());
}

} // namespace

TEST_CASE("security: every refused token is a 401 with its WWW-Authenticate challenge", "[security][auth]") {
  Provider idp;
  TmfdProcess p(secured(idp, "      clerk: [\"* on */*\"]\n", "    clock_skew_seconds: 60\n"));
  HttpClient c(p.port());
  auto get = [&](const std::string& token) { return c.request("GET", kIndividuals, "", bearer(token)); };

  SECTION("no token: a challenge without an error code") {
    auto r = c.get(kIndividuals);
    CHECK(r.status == 401);
    CHECK(r.header("www-authenticate") == "Bearer realm=\"tmfd\"");
    CHECK(r.json().as_object().at("code").as_string() == "UNAUTHORIZED");
    auto basic = c.request("GET", kIndividuals, "", {{"Authorization", "Basic YWxpY2U6c2VjcmV0"}});
    CHECK(basic.status == 401);
    CHECK(basic.header("www-authenticate") == "Bearer realm=\"tmfd\"");
  }
  SECTION("RS256, PS256 and ES256 tokens of the trusted issuer pass") {
    for (const char* alg : {"RS256", "PS256", "ES256"}) {
      INFO(alg);
      CHECK(get(idp.token("alice", {"clerk"}, alg)).status == 200);
    }
  }
  SECTION("alg none") { check_401(get(mint_unsigned(idp.claims("alice", {"clerk"}))), "unsigned tokens are not accepted"); }
  SECTION("HS256 keyed with the issuer's public key") {
    check_401(get(mint_hs256(idp.rsa.public_pem(), idp.rsa.kid(), idp.claims("alice", {"clerk"}))),
              "HMAC-signed tokens are not accepted");
  }
  SECTION("unknown kid") {
    auto stranger = SigningKey::rsa("stranger");
    check_401(get(mint(stranger, "RS256", idp.claims("alice", {"clerk"}))), "unknown signing key");
  }
  SECTION("bad signature: a token signed by another key under the issuer's kid, and a changed payload") {
    auto other = SigningKey::rsa(idp.rsa.kid());
    check_401(get(mint(other, "RS256", idp.claims("alice", {"clerk"}))), "bad signature");
    auto good = idp.token("alice", {"clerk"});
    auto forged_claims = idp.claims("alice", {"clerk", "admin"});
    const auto dot1 = good.find('.'), dot2 = good.rfind('.');
    auto tampered = good.substr(0, dot1 + 1) + base64url(json::serialize(forged_claims)) + good.substr(dot2);
    check_401(get(tampered), "bad signature");
    // An RSA signature under the EC key's kid: the key cannot check it.
    check_401(get(mint_with_header(idp.rsa, "RS256", {{"alg", "RS256"}, {"kid", idp.ec.kid()}},
                                   idp.claims("alice", {"clerk"}))),
              "unknown signing key");
  }
  SECTION("expired, beyond the clock skew; within it still valid") {
    auto claims = idp.claims("alice", {"clerk"});
    claims["exp"] = unix_now() - 120;
    check_401(get(mint(idp.rsa, "RS256", claims)), "token expired");
    claims["exp"] = unix_now() - 20;
    CHECK(get(mint(idp.rsa, "RS256", claims)).status == 200);
  }
  SECTION("not yet valid") {
    auto claims = idp.claims("alice", {"clerk"});
    claims["nbf"] = unix_now() + 600;
    check_401(get(mint(idp.rsa, "RS256", claims)), "token not yet valid");
  }
  SECTION("critical header extensions") {
    check_401(get(mint_with_header(idp.rsa, "RS256", {{"alg", "RS256"}, {"kid", idp.rsa.kid()}, {"crit", json::array{"exp"}}, {"exp", 1}},
                                   idp.claims("alice", {"clerk"}))),
              "unsupported critical header");
  }
  SECTION("wrong issuer") {
    auto claims = idp.claims("alice", {"clerk"});
    claims["iss"] = "https://evil.example.com/realms/tmf";
    check_401(get(mint(idp.rsa, "RS256", claims)), "untrusted issuer");
  }
  SECTION("wrong audience; an audience array naming tmfd passes") {
    auto claims = idp.claims("alice", {"clerk"});
    claims["aud"] = "account";
    check_401(get(mint(idp.rsa, "RS256", claims)), "wrong audience");
    claims["aud"] = json::array{"account", "billing"};
    check_401(get(mint(idp.rsa, "RS256", claims)), "wrong audience");
    claims["aud"] = json::array{"account", "tmfd"};
    CHECK(get(mint(idp.rsa, "RS256", claims)).status == 200);
  }
  SECTION("malformed") {
    for (const std::string token : {"abc", "a.b", "a.b.c.d", "%%%.e30.c2ln", "e30.e30.c2ln"}) {
      INFO(token);
      check_401(get(token), "malformed token");
    }
    auto no_exp = idp.claims("alice", {"clerk"});
    no_exp.erase("exp");
    check_401(get(mint(idp.rsa, "RS256", no_exp)), "token has no expiry");
  }
}

TEST_CASE("security: a key rotated into the issuer's key set is picked up on first sight", "[security][auth]") {
  Provider idp;
  TmfdProcess p(secured(idp, "      clerk: [\"* on */*\"]\n"));
  HttpClient c(p.port());
  REQUIRE(c.request("GET", kIndividuals, "", bearer(idp.token("alice", {"clerk"}))).status == 200);

  auto next = SigningKey::p256("tmf-ec-2");
  const auto token = mint(next, "ES256", idp.claims("alice", {"clerk"}));
  const int fetches_before = idp.key_fetches();
  idp.publish({&idp.rsa, &next});  // the old EC key retired, a new one in
  // The first sight of the new kid asks the key thread for the set again; the token passes once
  // it is in (the filter never waits for the network).
  int status = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
    status = c.request("GET", kIndividuals, "", bearer(token)).status;
    if (status == 200) break;
    CHECK(status == 401);
    std::this_thread::sleep_for(20ms);
  }
  CHECK(status == 200);
  CHECK(idp.key_fetches() > fetches_before);
  // The retired key no longer signs anything tmfd accepts (its cached tokens aside).
  auto fresh = idp.claims("bob", {"clerk"});
  check_401(c.request("GET", kIndividuals, "", bearer(mint(idp.ec, "ES256", fresh))), "unknown signing key");
}

TEST_CASE("security: tokens with unknown key ids refetch the keys at most once per interval", "[security][auth]") {
  Provider idp;
  auto o = secured(idp, "      clerk: [\"* on */*\"]\n");
  o.extra_yaml.replace(o.extra_yaml.find("unknown_key_refresh_min_seconds: 0"), 34, "unknown_key_refresh_min_seconds: 1");
  TmfdProcess p(o);
  HttpClient c(p.port());
  const std::string certs = idp.realm_path + "/certs";
  REQUIRE(idp.key_fetches() == 1);  // at start
  // A stream of tokens signed with made-up key ids for 3.5 s.
  auto stranger = SigningKey::rsa("x");
  int n = 0, not_refused = 0;
  for (auto end = std::chrono::steady_clock::now() + 3500ms; std::chrono::steady_clock::now() < end; ++n) {
    auto t = mint_with_header(stranger, "RS256", {{"alg", "RS256"}, {"kid", "made-up-" + std::to_string(n)}},
                              idp.claims("mallory", {"clerk"}));
    if (c.request("GET", kIndividuals, "", bearer(t)).status != 401) ++not_refused;
  }
  CHECK(not_refused == 0);
  const auto at = idp.server.served_at(certs);
  INFO(n << " requests, " << at.size() << " key set fetches");
  CHECK(at.size() >= 3);  // the unknown ids did ask for fetches...
  CHECK(at.size() <= 5);  // ...but not one per request
  for (std::size_t i = 1; i < at.size(); ++i) CHECK(at[i] - at[i - 1] >= 900ms);
}

TEST_CASE("security: several issuers, by discovery, by key set file and by key set URL", "[security][auth]") {
  Provider a("alpha");
  Provider b("beta");
  Provider g("gamma");
  const std::string dir = make_temp_dir();
  const std::string jwks_file = dir + "/beta.jwks";
  std::ofstream(jwks_file) << jwks({&b.rsa, &b.ec});
  TmfdOptions o;
  o.extra_yaml = "  security:\n"
                 "    issuers:\n"
                 "      alpha:\n"
                 "        issuer: \"" + a.issuer + "\"\n"
                 "        audience: [tmfd]\n"
                 "        discovery: true\n"
                 "      beta:\n"
                 "        issuer: \"" + b.issuer + "\"\n"
                 "        audience: [other, tmfd]\n"
                 "        jwks_file: " + jwks_file + "\n"
                 "      gamma:\n"
                 "        issuer: \"" + g.issuer + "\"\n"
                 "        audience: [tmfd]\n"
                 "        jwks_url: \"" + g.server.url(g.realm_path + "/certs") + "\"\n"
                 "    rules:\n      clerk: [\"read on party/*\"]\n";
  TmfdProcess p(o);
  HttpClient c(p.port());
  CHECK(c.request("GET", kIndividuals, "", bearer(a.token("alice", {"clerk"}))).status == 200);
  CHECK(c.request("GET", kIndividuals, "", bearer(b.token("bob", {"clerk"}, "ES256"))).status == 200);
  CHECK(c.request("GET", kIndividuals, "", bearer(g.token("carol", {"clerk"}, "PS256"))).status == 200);
  CHECK(g.key_fetches() >= 1);
  // Beta's key does not sign for alpha.
  check_401(c.request("GET", kIndividuals, "", bearer(mint(b.rsa, "RS256", a.claims("alice", {"clerk"})))),
            "unknown signing key");
  remove_temp_dir(dir);
}

TEST_CASE("security: access rules grant operations on APIs and kinds, with wildcards and named actions",
          "[security][rbac]") {
  Provider idp;
  const std::string rules =
      "      reader: [\"read on party/*\"]\n"
      "      creator: [\"create on party/individual\"]\n"
      "      updater: [\"update on par*/indiv*\"]\n"
      "      deleter: [\"delete on */individual\"]\n"
      "      hub-admin: [\"create, read, delete on party/hub\"]\n"
      "      replayer: [\"replayDeadLetters on party/hub\"]\n"
      "      ops: [\"read on admin/*\", \"read on */openapi\"]\n"
      "      tmfd-client-role: [\"read on party/organization\"]\n"
      "      scope-role: [\"read on party/individual\"]\n"
      "      event-watcher: [\"read on event/hub\", \"read on event/topicHub\"]\n";
  auto options = secured(idp, rules);
  options.extra_yaml = "  event:\n    enabled: true\n" + options.extra_yaml;  // TMF688: its hubs name no API
  TmfdProcess p(options);
  HttpClient c(p.port());
  auto as = [&](std::initializer_list<const char*> roles) {
    json::array a;
    for (auto* r : roles) a.push_back(json::string(r));
    return idp.token("alice", a);
  };
  const auto all = as({"reader", "creator", "updater", "deleter"});
  const auto id = create_individual(c, all);

  SECTION("read covers list and get; nothing else") {
    const auto t = as({"reader"});
    CHECK(c.request("GET", kIndividuals, "", bearer(t)).status == 200);
    CHECK(c.request("GET", kIndividuals + "/" + id, "", bearer(t)).status == 200);
    CHECK(c.request("GET", kOrganizations, "", bearer(t)).status == 200);
    check_403(c.request("POST", kIndividuals, kIndividual, bearer_json(t)));
    check_403(c.request("DELETE", kIndividuals + "/" + id, "", bearer(t)));
    check_403(c.request("GET", "/admin/reactions", "", bearer(t)));
  }
  SECTION("create on one kind only") {
    const auto t = as({"creator"});
    CHECK(c.request("POST", kIndividuals, kIndividual, bearer_json(t)).status == 201);
    check_403(c.request("POST", kOrganizations, R"({"tradingName":"Acme"})", bearer_json(t)));
    check_403(c.request("GET", kIndividuals, "", bearer(t)));
  }
  SECTION("update with wildcards in API and kind") {
    const auto t = as({"updater"});
    auto r = c.request("PATCH", kIndividuals + "/" + id, R"({"givenName":"Augusta"})",
                       {{"Authorization", "Bearer " + t}, {"Content-Type", "application/merge-patch+json"}});
    CHECK(r.status == 200);
    check_403(c.request("DELETE", kIndividuals + "/" + id, "", bearer(t)));
  }
  SECTION("delete with a wildcard API") {
    const auto other = create_individual(c, all);
    check_403(c.request("DELETE", kIndividuals + "/" + other, "", bearer(as({"reader", "creator", "updater"}))));
    CHECK(c.request("DELETE", kIndividuals + "/" + other, "", bearer(as({"deleter"}))).status == 204);
  }
  SECTION("hubs go through the rules; a named action needs its own grant") {
    const auto t = as({"hub-admin"});
    check_403(c.request("POST", kPartyHub, R"({"callback":"http://127.0.0.1:9/cb"})", bearer_json(as({"reader"}))));
    auto r = c.request("POST", kPartyHub, R"({"callback":"http://127.0.0.1:9/cb"})", bearer_json(t));
    INFO(r.body);
    REQUIRE(r.status == 201);
    const std::string hub = std::string(r.json().as_object().at("id").as_string());
    CHECK(c.request("GET", kPartyHub + "/" + hub + "/deadLetter", "", bearer(t)).status == 200);
    check_403(c.request("POST", kPartyHub + "/" + hub + "/deadLetter/replay", "", bearer(t)));
    CHECK(c.request("POST", kPartyHub + "/" + hub + "/deadLetter/replay", "", bearer(as({"replayer"}))).status != 403);
    CHECK(c.request("DELETE", kPartyHub + "/" + hub, "", bearer(t)).status == 204);
  }
  SECTION("TMF688 hubs: the central hub and topic hubs are named by their path's API") {
    const auto t = as({"event-watcher"});
    CHECK(c.request("GET", "/tmf-api/event/v4/hub", "", bearer(t)).status == 200);
    check_403(c.request("GET", "/tmf-api/event/v4/hub", "", bearer(as({"reader"}))));
    check_403(c.request("POST", "/tmf-api/event/v4/hub", R"({"callback":"http://127.0.0.1:9/cb"})", bearer_json(t)));
    auto topic = c.request("POST", "/tmf-api/event/v4/topic", R"({"name":"orders"})", bearer_json(as({"ops"})));
    check_403(topic);  // ops may read admin routes only
    CHECK(c.request("GET", "/tmf-api/event/v4/topic/none/hub", "", bearer(t)).status == 404);  // passed the rules
    check_403(c.request("GET", "/tmf-api/event/v4/topic/none/hub", "", bearer(as({"reader"}))));
  }
  SECTION("admin and API description routes") {
    const auto t = as({"ops"});
    CHECK(c.request("GET", "/admin/reactions", "", bearer(t)).status == 200);
    CHECK(c.request("GET", "/tmf-api/party/v4/openapi.json", "", bearer(t)).status == 200);
    check_403(c.request("GET", "/", "", bearer(t)));
    check_403(c.request("GET", kIndividuals, "", bearer(t)));
  }
  SECTION("roles from the client's roles and from scope") {
    auto claims = idp.claims("carol", {});
    claims["resource_access"] = json::object{{"tmfd", json::object{{"roles", json::array{"tmfd-client-role"}}}},
                                             {"other", json::object{{"roles", json::array{"reader"}}}}};
    const auto client_token = mint(idp.rsa, "RS256", claims);
    CHECK(c.request("GET", kOrganizations, "", bearer(client_token)).status == 200);
    check_403(c.request("GET", kIndividuals, "", bearer(client_token)));  // another client's role counts not
    auto scoped = idp.claims("dave", {});
    scoped["scope"] = "openid scope-role profile";
    const auto scope_token = mint(idp.rsa, "RS256", scoped);
    CHECK(c.request("GET", kIndividuals, "", bearer(scope_token)).status == 200);
    check_403(c.request("GET", kOrganizations, "", bearer(scope_token)));
  }
  SECTION("no role at all") { check_403(c.request("GET", kIndividuals, "", bearer(as({})))); }
}

TEST_CASE("security: a grant restricted to the caller's related party", "[security][rbac]") {
  Provider idp;
  const std::string rules = "      customer: [\"read, create, update on party/individual where relatedParty = caller\"]\n"
                            "      clerk: [\"* on */*\"]\n";
  TmfdProcess p(secured(idp, rules));
  HttpClient c(p.port());
  auto customer = [&](const std::string& party) {
    auto claims = idp.claims("user-" + party, {"customer"});
    claims["party_id"] = party;
    return mint(idp.rsa, "RS256", claims);
  };
  auto owned_by = [](const std::string& party) {
    return R"({"givenName":"Ada","familyName":"Lovelace","relatedParty":[{"id":")" + party +
           R"(","role":"customer","@referredType":"Organization"}]})";
  };
  const auto clerk = idp.token("clerk", {"clerk"});
  const auto mine = create_individual(c, customer("p1"), owned_by("p1"));
  const auto theirs = create_individual(c, clerk, owned_by("p2"));
  create_individual(c, clerk);  // nobody's

  SECTION("list: only the caller's") {
    auto r = c.request("GET", kIndividuals, "", bearer(customer("p1")));
    REQUIRE(r.status == 200);
    auto list = r.json().as_array();
    REQUIRE(list.size() == 1);
    CHECK(list[0].as_object().at("id").as_string() == mine);
    CHECK(r.header("x-total-count") == "1");
    // Its own filters combine with the restriction.
    auto filtered = c.request("GET", kIndividuals + "?givenName=Ada", "", bearer(customer("p1")));
    CHECK(filtered.json().as_array().size() == 1);
    CHECK(c.request("GET", kIndividuals, "", bearer(clerk)).json().as_array().size() == 3);
  }
  SECTION("get: another's resource is 404, as if it did not exist") {
    CHECK(c.request("GET", kIndividuals + "/" + mine, "", bearer(customer("p1"))).status == 200);
    auto r = c.request("GET", kIndividuals + "/" + theirs, "", bearer(customer("p1")));
    CHECK(r.status == 404);
    CHECK(r.json().as_object().at("code").as_string() == "NOT_FOUND");
  }
  SECTION("create: the body must name the caller") {
    check_403(c.request("POST", kIndividuals, kIndividual, bearer_json(customer("p1"))));
    check_403(c.request("POST", kIndividuals, owned_by("p2"), bearer_json(customer("p1"))));
    CHECK(c.request("POST", kIndividuals, owned_by("p1"), bearer_json(customer("p1"))).status == 201);
  }
  SECTION("patch: another's is 404; one's own cannot be given away") {
    const Headers merge{{"Authorization", "Bearer " + customer("p1")}, {"Content-Type", "application/merge-patch+json"}};
    CHECK(c.request("PATCH", kIndividuals + "/" + theirs, R"({"givenName":"X"})", merge).status == 404);
    CHECK(c.request("PATCH", kIndividuals + "/" + mine, R"({"givenName":"X"})", merge).status == 200);
    check_403(c.request("PATCH", kIndividuals + "/" + mine, R"({"relatedParty":[{"id":"p2","role":"customer"}]})", merge));
    auto still = c.request("GET", kIndividuals + "/" + mine, "", bearer(clerk)).json().as_object();
    CHECK(still.at("relatedParty").as_array()[0].as_object().at("id").as_string() == "p1");
  }
  SECTION("operations the grant does not name, and a token without a party") {
    check_403(c.request("DELETE", kIndividuals + "/" + mine, "", bearer(customer("p1"))));
    check_403(c.request("GET", kOrganizations, "", bearer(customer("p1"))));
    check_403(c.request("GET", kIndividuals, "", bearer(idp.token("nobody", {"customer"}))));
  }
}

TEST_CASE("security: health and metrics are open by default and protected on request", "[security][auth]") {
  Provider idp;
  SECTION("open") {
    TmfdProcess p(secured(idp, "      clerk: [\"* on */*\"]\n"));
    HttpClient c(p.port());
    CHECK(c.get("/health/live").status == 200);
    CHECK(c.get("/health/ready").status == 200);
    CHECK(c.get("/metrics").status == 200);
    CHECK(c.get(kIndividuals).status == 401);
  }
  SECTION("protected") {
    TmfdProcess p(secured(idp, "      monitor: [\"read on health/*\", \"read on metrics/*\"]\n",
                          "    protect_health: true\n    protect_metrics: true\n"));
    HttpClient c(p.port());
    for (const char* path : {"/health/live", "/health/ready", "/metrics"}) {
      INFO(path);
      auto r = c.get(path);
      CHECK(r.status == 401);
      CHECK(r.header("www-authenticate") == "Bearer realm=\"tmfd\"");
      CHECK(c.request("GET", path, "", bearer(idp.token("prometheus", {"monitor"}))).status == 200);
      check_403(c.request("GET", path, "", bearer(idp.token("eve", {"other"}))));
    }
  }
}

TEST_CASE("security: with authentication tmfd may listen beyond the loopback", "[security][config]") {
  Provider idp;
  auto o = secured(idp, "      clerk: [\"* on */*\"]\n");
  o.full_yaml = TmfdProcess::default_yaml("$DIR", true) + o.extra_yaml;
  o.full_yaml.replace(o.full_yaml.find("host: 127.0.0.1"), 15, "host: 0.0.0.0");
  TmfdProcess p(o);
  HttpClient c(p.port());
  CHECK(c.get(kIndividuals).status == 401);
  CHECK(c.request("GET", kIndividuals, "", bearer(idp.token("alice", {"clerk"}))).status == 200);
}

TEST_CASE("security: the principal is recorded on the change's event", "[security][auth]") {
  Provider idp;
  TmfdProcess p(secured(idp, "      clerk: [\"* on */*\"]\n"));
  HttpClient c(p.port());
  const auto id = create_individual(c, idp.token("alice@example.com", {"clerk"}));
  // The event is committed with the resource; its outbox row names who made the change.
  ReadOnlyDb db(p.database_path());
  CHECK(db.scalar("SELECT principal FROM tmfd_outbox WHERE resource_id = ?", {id}) == "alice@example.com");
}

TEST_CASE("security: configuration mistakes stop tmfd at start with the key named", "[security][config]") {
  Provider idp;
  auto check = [](const std::string& block, const std::string& host = "127.0.0.1") {
    const std::string dir = make_temp_dir();
    auto yaml = TmfdProcess::default_yaml(dir, true) + block;
    yaml.replace(yaml.find("host: 127.0.0.1"), 15, "host: " + host);
    std::ofstream(dir + "/tmfd.yaml") << yaml;
    auto result = run_tmfd("--check-config --config " + dir + "/tmfd.yaml");
    remove_temp_dir(dir);
    return result;
  };
  auto [ok_code, ok_out] = check(security_yaml(idp, "      clerk: [\"read on party/*\"]\n"));
  INFO(ok_out);
  CHECK(ok_code == 0);
  // Beyond the loopback: with the module, yes; without it, the loopback rule.
  auto [remote_code, remote_out] = check(security_yaml(idp, "      clerk: [\"read on party/*\"]\n"), "0.0.0.0");
  CHECK(remote_code == 0);
  auto [plain_code, plain_out] = check("", "0.0.0.0");
  CHECK(plain_code == 2);
  CHECK_THAT(plain_out, Catch::Contains("enable a module that authenticates requests (modules.security)"));
  auto [rule_code, rule_out] = check(security_yaml(idp, "      clerk: [\"read party\"]\n"));
  CHECK(rule_code != 0);
  CHECK_THAT(rule_out, Catch::Contains("modules.security.rules: role 'clerk': grant 'read party'"));
  auto [src_code, src_out] = check("  security:\n    issuers:\n      x:\n        issuer: https://a\n        audience: [tmfd]\n");
  CHECK(src_code != 0);
  CHECK_THAT(src_out, Catch::Contains("modules.security.issuers.x.jwks_file: give exactly one of"));
  auto [where_code, where_out] = check(security_yaml(idp, "      c: [\"read on a/b where owner = me\"]\n"));
  CHECK(where_code != 0);
  CHECK_THAT(where_out, Catch::Contains("where relatedParty = caller"));
}

TEST_CASE("security: a key set over HTTPS is fetched with the configured CA, and the host name is checked",
          "[security][auth][tls]") {
  const std::string dir = make_temp_dir();
  auto make_certificate = [&](const std::string& name, const std::string& alt_names) {
    const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=tmfd-test -keyout " + dir +
                            "/" + name + ".key -out " + dir + "/" + name + ".pem -addext subjectAltName=" +
                            alt_names + " >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
  };
  make_certificate("good", "IP:127.0.0.1");
  make_certificate("other", "DNS:idp.example.test");
  const auto key = SigningKey::rsa("tls-rsa");
  const std::string issuer = "https://idp.example.test/realms/tls";
  auto claims = [&] {
    const auto now = unix_now();
    return json::object{{"iss", issuer}, {"aud", "tmfd"}, {"sub", "alice"}, {"exp", now + 300},
                        {"realm_access", json::object{{"roles", json::array{"clerk"}}}}};
  };
  auto options = [&](const DocumentServer& idp, const std::string& ca) {
    TmfdOptions o;
    o.extra_yaml = "  security:\n    issuers:\n      tls:\n        issuer: \"" + issuer +
                   "\"\n        audience: [tmfd]\n        jwks_url: \"" + idp.url("/certs") + "\"\n"
                   "    ca_file: " + dir + "/" + ca + ".pem\n"
                   "    rules:\n      clerk: [\"read on party/*\"]\n";
    return o;
  };
  SECTION("a certificate for the URL's host, signed by the CA: the keys load") {
    DocumentServer idp(dir + "/good.pem", dir + "/good.key");
    idp.set("/certs", jwks({&key}));
    TmfdProcess p(options(idp, "good"));
    HttpClient c(p.port());
    CHECK(c.request("GET", kIndividuals, "", bearer(mint(key, "RS256", claims()))).status == 200);
    CHECK(idp.served("/certs") >= 1);
  }
  SECTION("a certificate for another host: nothing is fetched, tmfd starts, its tokens are refused") {
    DocumentServer idp(dir + "/other.pem", dir + "/other.key");
    idp.set("/certs", jwks({&key}));
    TmfdProcess p(options(idp, "other"));
    HttpClient c(p.port());
    check_401(c.request("GET", kIndividuals, "", bearer(mint(key, "RS256", claims()))), "unknown signing key");
    CHECK(idp.served("/certs") == 0);
    CHECK_THAT(p.log_text(), Catch::Contains("cannot load signing keys"));
  }
  remove_temp_dir(dir);
}
