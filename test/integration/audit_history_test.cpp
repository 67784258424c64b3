// The audit log and data history through the real binary (docs/security.md, "Audit log" and
// "Data history"): every change, REST or in-process (units of work, reactions, actions), is
// recorded in its own transaction; /admin/audit filters, pages and exports them; asOf reads and
// /admin/history give back earlier versions; retention prunes what is superseded.
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include "document_server.hpp"
#include "http_client.hpp"
#include "http_helpers.hpp"
#include "jwt_minter.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string kPartySpec = "TMF632-Party-v4.0.0.swagger.json";
const std::string kOrders = "/tmf-api/stateful/v1/order";
const std::string kUnit = "/tmf-api/stateful/v1/unitOfWork";

json::array audit(HttpClient& c, const std::string& query) {
  auto r = c.get("/admin/audit?" + query);
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r.json().as_array();
}

std::string str(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

// The current time as an RFC 3339 date-time with milliseconds, for asOf.
std::string now_text() {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  std::time_t secs = ms / 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

// A moment strictly between what was committed before and what is committed after (the history
// has millisecond times).
std::string moment() {
  std::this_thread::sleep_for(5ms);
  auto t = now_text();
  std::this_thread::sleep_for(5ms);
  return t;
}

TmfdOptions stateful_options() {
  TmfdOptions o;
  o.full_yaml = "server:\n  port: 0\nstorage:\n  path: $DIR/tmfd.db\n"
                "plugins:\n  directory: " TMFD_TEST_PLUGIN_DIR "\n"
                "modules:\n  stateful: {}\n";
  return o;
}

} // namespace

TEST_CASE("audit: REST create, patches and delete are recorded with their JSON Patches", "[audit]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto created = post_json(c, kIndividuals, individual("Ada", "Lovelace"), {{"X-Correlation-ID", "corr-create"}});
  REQUIRE(created.status == 201);
  const std::string id = str(created.json(), "id");
  auto patched = merge_patch(c, kIndividuals, id, {{"givenName", "Augusta"}, {"title", "Countess"}},
                             {{"X-Correlation-ID", "corr-merge"}});
  REQUIRE(patched.status == 200);
  auto jp = c.request("PATCH", kIndividuals + "/" + id, R"([{"op":"remove","path":"/title"}])",
                      {{"Content-Type", "application/json-patch+json"}});
  REQUIRE(jp.status == 200);
  REQUIRE(c.request("DELETE", kIndividuals + "/" + id).status == 204);

  auto entries = audit(c, "resource.id=" + id);
  REQUIRE(entries.size() == 4);
  CHECK(str(entries[0], "operation") == "create");
  CHECK(str(entries[1], "operation") == "update");
  CHECK(str(entries[2], "operation") == "update");
  CHECK(str(entries[3], "operation") == "delete");
  CHECK(str(entries[0], "correlationId") == "corr-create");
  CHECK(str(entries[1], "correlationId") == "corr-merge");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i].as_object();
    CHECK(e.at("principal") == "");  // no security module: nobody authenticated
    const auto& r = e.at("resource").as_object();
    CHECK(r.at("api") == "party");
    CHECK(r.at("collection").as_string() == kIndividuals);
    CHECK(r.at("id").as_string() == id);
    CHECK(r.at("@type") == "Individual");
    CHECK(r.at("version").as_int64() == std::min<std::int64_t>(static_cast<std::int64_t>(i) + 1, 3));
    CHECK(!e.contains("internal"));
    CHECK(e.at("at").as_string().size() == 24);
  }
  CHECK(entries[0].at("seq").as_int64() < entries[1].at("seq").as_int64());
  // The creation's patch adds the whole document; each update's turns the previous version into it.
  const auto& create_patch = entries[0].at("patch").as_array();
  REQUIRE(create_patch.size() == 1);
  CHECK(create_patch[0].at("op") == "add");
  CHECK(create_patch[0].at("path") == "");
  CHECK(create_patch[0].at("value") == created.json());
  CHECK(entries[1].at("patch") == json::parse(R"([{"op":"replace","path":"/givenName","value":"Augusta"},)"
                                              R"({"op":"add","path":"/title","value":"Countess"}])"));
  CHECK(entries[2].at("patch") == json::parse(R"([{"op":"remove","path":"/title"}])"));
  CHECK(entries[3].at("patch") == json::parse(R"([{"op":"remove","path":""}])"));

  SECTION("filters, sorting and paging follow TMF630") {
    for (int i = 0; i < 5; ++i) REQUIRE(post_json(c, kIndividuals, individual("P" + std::to_string(i), "Page")).status == 201);
    CHECK(total_count(c, "/admin/audit") == 9);
    CHECK(total_count(c, "/admin/audit", "operation=update") == 2);
    CHECK(total_count(c, "/admin/audit", "operation=update,delete") == 3);
    CHECK(total_count(c, "/admin/audit", "correlationId=corr-merge") == 1);
    CHECK(total_count(c, "/admin/audit", "resource.collection=" + url_encode(kIndividuals) + "&operation=create") == 6);
    CHECK(total_count(c, "/admin/audit", "resource.version.gte=2") == 3);
    const auto last_seq = entries[3].at("seq").as_int64();
    CHECK(total_count(c, "/admin/audit", "seq.gt=" + std::to_string(last_seq)) == 5);
    const auto at_delete = str(entries[3], "at");
    CHECK(total_count(c, "/admin/audit", "at.lte=" + url_encode(at_delete)) >= 4);
    CHECK(total_count(c, "/admin/audit", "at.gt=2999-01-01T00:00:00Z") == 0);
    auto page = c.get("/admin/audit?limit=3&offset=2&sort=-seq");
    REQUIRE(page.status == 200);
    CHECK(page.header("x-total-count") == "9");
    CHECK(page.header("x-result-count") == "3");
    auto rows = page.json().as_array();
    CHECK(rows[0].at("seq").as_int64() > rows[1].at("seq").as_int64());
    auto fields = audit(c, "limit=1&fields=operation");
    CHECK(fields[0].as_object().size() == 1);
    CHECK(c.get("/admin/audit?givenName=Ada").status == 400);
    CHECK(c.get("/admin/audit?at.gt=yesterday").status == 400);
    CHECK(c.get("/admin/audit?sort=principal").status == 400);
    check_error_response(c.get("/admin/audit?seq=abc"), 400, kPartySpec);
  }
  SECTION("export as JSON lines, continued with seq.gt") {
    auto r = c.get("/admin/audit/export?limit=3");
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == "application/x-ndjson");
    std::istringstream lines(r.body);
    std::string line;
    std::vector<json::value> got;
    while (std::getline(lines, line)) got.push_back(json::parse(line));
    REQUIRE(got.size() == 3);
    CHECK(got[0] == entries[0]);
    CHECK(r.header("x-last-seq") == std::to_string(got[2].at("seq").as_int64()));
    auto rest = c.get("/admin/audit/export?seq.gt=" + r.header("x-last-seq"));
    REQUIRE(rest.status == 200);
    CHECK(rest.body == json::serialize(entries[3]) + "\n");
  }
}

TEST_CASE("audit: a refused or failed change records nothing", "[audit]") {
  TmfdProcess p;
  HttpClient c(p.port());
  auto created = post_json(c, kIndividuals, individual("Ada", "Lovelace"));
  REQUIRE(created.status == 201);
  const std::string id = str(created.json(), "id");
  CHECK(merge_patch(c, kIndividuals, id, {{"givenName", "X"}}, {{"If-Match", "\"7\""}}).status == 412);
  CHECK(post_json(c, kIndividuals, json::object{{"givenName", "no family name"}}).status == 400);
  CHECK(c.request("DELETE", kIndividuals + "/no-such-id").status == 404);
  CHECK(merge_patch(c, kIndividuals, id, {{"id", "another"}}).status >= 400);
  // A patch that changes nothing is no change either.
  CHECK(merge_patch(c, kIndividuals, id, {{"givenName", "Ada"}}).status == 200);
  CHECK(total_count(c, "/admin/audit") == 1);
}

TEST_CASE("history: asOf reads the version valid then; /admin/history lists them", "[audit][history]") {
  TmfdProcess p;
  HttpClient c(p.port());
  const auto before_create = moment();
  auto created = post_json(c, kIndividuals, individual("Ada", "Lovelace"));
  REQUIRE(created.status == 201);
  const std::string id = str(created.json(), "id");
  const std::string path = kIndividuals + "/" + id;
  const auto after_create = moment();
  REQUIRE(merge_patch(c, kIndividuals, id, {{"givenName", "Augusta"}}).status == 200);
  const auto after_patch = moment();
  REQUIRE(c.request("DELETE", path).status == 204);
  const auto after_delete = moment();

  auto v1 = c.get(path + "?asOf=" + url_encode(after_create));
  REQUIRE(v1.status == 200);
  CHECK(v1.json() == created.json());
  CHECK(v1.header("etag") == "\"1\"");
  auto v2 = c.get(path + "?asOf=" + url_encode(after_patch) + "&fields=givenName");
  REQUIRE(v2.status == 200);
  CHECK(v2.json().at("givenName") == "Augusta");
  CHECK(!v2.json().as_object().contains("familyName"));
  CHECK(v2.header("etag") == "\"2\"");
  check_error_response(c.get(path + "?asOf=" + url_encode(before_create)), 404, kPartySpec, id);
  check_error_response(c.get(path + "?asOf=" + url_encode(after_delete)), 404, kPartySpec, "deleted");
  check_error_response(c.get(path), 404, kPartySpec);
  check_error_response(c.get(path + "?asOf=noon"), 400, kPartySpec, "asOf");
  check_error_response(c.get(path + "?asOf=" + url_encode(after_create) + "&asOf=" + url_encode(after_create)), 400, kPartySpec);
  // An offset, its '+' left unencoded (read as a space by form decoding) or encoded.
  const std::string later = "2999-01-01T01:00:00";
  CHECK(c.get(path + "?asOf=" + later + "+01:00").status == 404);
  CHECK(c.get(path + "?asOf=" + later + "%2B01:00").status == 404);

  auto listing = c.get("/admin/history" + path);
  REQUIRE(listing.status == 200);
  CHECK(listing.header("x-total-count") == "3");
  auto versions = listing.json().as_array();
  REQUIRE(versions.size() == 3);
  CHECK(versions[0].at("resource") == created.json());
  CHECK(versions[1].at("resource").at("givenName") == "Augusta");
  CHECK(versions[1].at("version").as_int64() == 2);
  CHECK(versions[2].at("resource").is_null());
  CHECK(versions[2].at("operation") == "delete");
  CHECK(c.get("/admin/history" + kIndividuals + "/never-existed").status == 404);

  SECTION("a live resource's current version is served from history too") {
    auto again = post_json(c, kIndividuals, individual("Grace", "Hopper"));
    const std::string id2 = str(again.json(), "id");
    auto now = c.get(kIndividuals + "/" + id2 + "?asOf=2999-01-01T00:00:00Z");
    REQUIRE(now.status == 200);
    CHECK(now.json() == again.json());
  }
}

TEST_CASE("audit: units of work, reactions, actions and internal kinds are recorded", "[audit][stateful]") {
  TmfdProcess tmfd(stateful_options());
  HttpClient c(tmfd.port());
  auto r = post_json(c, kOrders, {{"name", "o1"}}, {{"X-Correlation-ID", "corr-order"}});
  REQUIRE(r.status == 201);
  const std::string order = str(r.json(), "id");
  // The reaction to the order's creation moves it on and writes a ledger entry (an admin
  // read-only kind), as principal reaction:order-created, under the event's correlation id.
  REQUIRE(eventually([&] { return total_count(c, "/admin/audit", "principal=reaction:order-created") == 2; }, 10s));
  auto by_reaction = audit(c, "principal=reaction:order-created");
  CHECK(str(by_reaction[0], "correlationId") == "corr-order");
  bool saw_order_update = false, saw_ledger = false;
  for (const auto& e : by_reaction) {
    const auto& res = e.at("resource").as_object();
    if (res.at("id").as_string() == order) {
      saw_order_update = str(e, "operation") == "update" && res.at("version").as_int64() == 2;
    } else {
      saw_ledger = str(e, "operation") == "create" && res.at("@type") == "LedgerEntry" && e.at("internal") == true;
    }
  }
  CHECK(saw_order_update);
  CHECK(saw_ledger);

  SECTION("a unit of work: every change, prepared creations too; a failed unit leaves nothing") {
    json::object unit{{"changes", json::array{
        json::object{{"op", "create"}, {"path", kOrders}, {"body", json::object{{"name", "u1"}}}},
        json::object{{"op", "preparedCreate"}, {"path", kOrders}, {"body", json::object{{"name", "u2"}}}},
        json::object{{"op", "create"}, {"path", "/internal/stateful/note"}, {"body", json::object{{"text", "n"}}}}}}};
    auto done = post_json(c, kUnit, unit, {{"X-Correlation-ID", "corr-unit"}});
    REQUIRE(done.status == 200);
    auto recorded = audit(c, "correlationId=corr-unit&operation=create&resource.@type=Order,Note");
    REQUIRE(recorded.size() == 3);
    CHECK(recorded[2].at("resource").at("@type") == "Note");
    CHECK(recorded[2].at("internal") == true);
    // The reactions to the unit's orders are written after it: wait for them (two changes each).
    REQUIRE(eventually([&] { return total_count(c, "/admin/audit", "principal=reaction:order-created") == 6; }, 10s));
    const auto before = total_count(c, "/admin/audit");
    unit["throwAfter"] = 2;
    auto failed = post_json(c, kUnit, unit, {{"X-Correlation-ID", "corr-failed"}});
    CHECK(failed.status == 409);
    CHECK(total_count(c, "/admin/audit", "correlationId=corr-failed") == 0);
    CHECK(total_count(c, "/admin/audit") == before);
  }
  SECTION("an action's changes carry its name") {
    auto held = post_json(c, kOrders + "/" + order + "/hold", {{"reason", "audit"}});
    REQUIRE(held.status == 200);
    auto entries = audit(c, "operation=hold");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].at("resource").at("id").as_string() == order);
    CHECK(entries[0].at("patch") ==
          json::parse(R"([{"op":"add","path":"/description","value":"held: audit"}])"));
  }
}

TEST_CASE("audit: the authenticated principal is recorded; the admin routes follow the rules", "[audit][security]") {
  DocumentServer server;
  const std::string issuer = server.url("/realms/tmf");
  auto key = SigningKey::rsa("audit-rsa");
  server.set("/realms/tmf/.well-known/openid-configuration",
             json::serialize(json::object{{"issuer", issuer}, {"jwks_uri", server.url("/realms/tmf/certs")}}));
  server.set("/realms/tmf/certs", jwks({&key}));
  auto token = [&](const std::string& sub, const char* role) {
    const auto now = unix_now();
    return mint(key, "RS256",
                {{"iss", issuer}, {"aud", "tmfd"}, {"sub", sub}, {"iat", now}, {"exp", now + 300},
                 {"realm_access", json::object{{"roles", json::array{role}}}}});
  };
  TmfdOptions o;
  o.extra_yaml = "  security:\n    issuers:\n      main:\n        issuer: \"" + issuer +
                 "\"\n        audience: [tmfd]\n        discovery: true\n"
                 "    rules:\n      clerk: [\"* on party/*\"]\n      auditor: [\"read on admin/audit\", \"read on admin/history\"]\n";
  TmfdProcess p(o);
  HttpClient c(p.port());
  const auto alice = token("alice", "clerk");
  auto r = post_json(c, kIndividuals, individual("Ada", "Lovelace"), {{"Authorization", "Bearer " + alice}});
  REQUIRE(r.status == 201);
  const std::string id = str(r.json(), "id");

  const Headers as_auditor{{"Authorization", "Bearer " + token("carol", "auditor")}};
  CHECK(c.request("GET", "/admin/audit", "", {{"Authorization", "Bearer " + alice}}).status == 403);
  CHECK(c.request("GET", "/admin/audit").status == 401);
  auto entries = c.request("GET", "/admin/audit", "", as_auditor);
  REQUIRE(entries.status == 200);
  REQUIRE(entries.json().as_array().size() == 1);
  CHECK(entries.json().at(0).at("principal") == "alice");
  CHECK(c.request("GET", "/admin/audit/export", "", as_auditor).status == 200);
  CHECK(c.request("GET", "/admin/history" + kIndividuals + "/" + id, "", as_auditor).status == 200);
  CHECK(c.request("GET", "/admin/history" + kIndividuals + "/" + id, "", {{"Authorization", "Bearer " + alice}}).status == 403);
  // asOf is a read of the resource: the clerk's grant covers it, the auditor's does not.
  CHECK(c.request("GET", kIndividuals + "/" + id + "?asOf=2999-01-01T00:00:00Z", "", {{"Authorization", "Bearer " + alice}})
            .status == 200);
  CHECK(c.request("GET", kIndividuals + "/" + id + "?asOf=2999-01-01T00:00:00Z", "", as_auditor).status == 403);
}

TEST_CASE("history: retention removes superseded versions in the background, never the current ones", "[audit][history]") {
  TmfdOptions o;
  o.extra_yaml = "history:\n  retention_seconds: 1\n  prune_interval_ms: 50\n  prune_batch: 2\n";
  TmfdProcess p(o);
  HttpClient c(p.port());
  auto a = str(post_json(c, kIndividuals, individual("A", "Kept")).json(), "id");
  for (int i = 0; i < 3; ++i) REQUIRE(merge_patch(c, kIndividuals, a, {{"givenName", "A" + std::to_string(i)}}).status == 200);
  auto b = str(post_json(c, kIndividuals, individual("B", "Deleted")).json(), "id");
  REQUIRE(c.request("DELETE", kIndividuals + "/" + b).status == 204);
  auto last = str(post_json(c, kIndividuals, individual("C", "Last")).json(), "id");
  CHECK(total_count(c, "/admin/audit") == 7);
  // A's three replaced versions and both rows of B go once a second old, in batches of two.
  REQUIRE(eventually([&] { return total_count(c, "/admin/audit") == 2; }, 10s));
  auto left = audit(c, "");
  CHECK(left[0].at("resource").at("id").as_string() == a);
  CHECK(left[0].at("resource").at("version").as_int64() == 4);
  // Its patch can no longer be computed from the version before: it replaces the whole document.
  CHECK(left[0].at("patch").at(0).at("op") == "replace");
  CHECK(left[1].at("resource").at("id").as_string() == last);
  auto now = c.get(kIndividuals + "/" + a + "?asOf=2999-01-01T00:00:00Z");
  REQUIRE(now.status == 200);
  CHECK(now.json().at("givenName") == "A2");
  CHECK(c.get("/admin/history" + kIndividuals + "/" + b).status == 404);
}

TEST_CASE("history: with history.enabled false nothing is recorded and the reads say so", "[audit][history]") {
  TmfdOptions o;
  o.extra_yaml = "history:\n  enabled: false\n";
  TmfdProcess p(o);
  HttpClient c(p.port());
  auto id = str(post_json(c, kIndividuals, individual("A", "B")).json(), "id");
  check_error_response(c.get("/admin/audit"), 400, kPartySpec, "history.enabled");
  check_error_response(c.get(kIndividuals + "/" + id + "?asOf=2999-01-01T00:00:00Z"), 400, kPartySpec, "history.enabled");
  CHECK(c.get("/admin/history" + kIndividuals + "/" + id).status == 404);
  CHECK(c.get(kIndividuals + "/" + id).status == 200);
}

TEST_CASE("audit: an import (the demo catalog, loaded in process at start) is recorded entry by entry", "[audit][catalog]") {
  TmfdOptions o;
  o.extra_yaml = "  catalog:\n    enabled: true\n    demo_catalog: " TMFD_SOURCE_DIR "/config/demo-catalog.json\n";
  TmfdProcess p(o);
  HttpClient c(p.port());
  const std::string offerings = "/tmf-api/productCatalogManagement/v4/productOffering";
  const auto imported = total_count(c, "/admin/audit", "correlationId=demo-catalog");
  CHECK(imported > 0);
  CHECK(total_count(c, "/admin/audit", "correlationId=demo-catalog&operation=create") == imported);
  CHECK(total_count(c, "/admin/audit", "correlationId=demo-catalog&resource.collection=" + url_encode(offerings)) ==
        total_count(c, offerings));
}
