// The TMF630 behaviour of the resource engine, seen from outside: the real tmfd binary with the
// party module, driven over HTTP, with TMF632 individual as the vehicle. Bodies are checked
// against the published TMF632 swagger when the specs are present, and the outbox is read straight
// from the SQLite file to see which events a change committed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "database_access.hpp"
#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "outbox_reader.hpp"
#include "spec_checks.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;
using Catch::Matchers::StartsWith;

// ---------------------------------------------------------------------------------------------
// Spec validation
// ---------------------------------------------------------------------------------------------

// Checks a body against a TMF632 definition; without the specs only this check is skipped.
void check_spec(const json::value& body, const std::string& definition) {
  tmfd::test::check_spec(body, kTmf632, definition);
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

std::string item(const std::string& id) { return kIndividuals + "/" + id; }

HttpResponse send(HttpClient& c, const std::string& method, const std::string& target,
                  const std::string& body = {}, const std::string& content_type = {},
                  Headers extra = {}) {
  Headers h;
  if (!content_type.empty()) h.emplace_back("Content-Type", content_type);
  for (auto& kv : extra) h.push_back(std::move(kv));
  return c.request(method, target, body, h);
}

HttpResponse post(HttpClient& c, const json::value& body, Headers extra = {}) {
  return send(c, "POST", kIndividuals, json::serialize(body), "application/json", std::move(extra));
}

HttpResponse patch(HttpClient& c, const std::string& id, const json::value& body,
                   const std::string& content_type = "application/merge-patch+json", Headers extra = {}) {
  return send(c, "PATCH", item(id), json::serialize(body), content_type, std::move(extra));
}

json::object person(const std::string& given, const std::string& family, json::object extra = {}) {
  json::object o{{"givenName", given}, {"familyName", family}};
  for (const auto& kv : extra) o[kv.key()] = kv.value();
  return o;
}

// POSTs, requires 201 and a spec-valid Individual, and returns it.
json::object create(HttpClient& c, const json::object& body, Headers extra = {}) {
  auto o = require_object(post(c, body, std::move(extra)), 201, "POST " + kIndividuals);
  check_spec(o, "Individual");
  return o;
}

// GETs one individual, requires 200 and a spec-valid body.
json::object fetch(HttpClient& c, const std::string& id, std::string* etag = nullptr) {
  auto r = c.get(item(id));
  auto o = require_object(r, 200, "GET " + item(id));
  check_spec(o, "Individual");
  if (etag) *etag = r.header("etag");
  return o;
}

struct Page {
  HttpResponse response;
  json::array items;
};

// GETs the collection with a query, requires 200 and (unless a projection makes them partial on
// purpose) spec-valid items.
Page list(HttpClient& c, const std::string& query, bool validate = true) {
  Page p;
  p.response = c.get(kIndividuals + (query.empty() ? "" : "?" + query));
  INFO(query << " -> " << p.response.body);
  REQUIRE(p.response.status == 200);
  json::value v;
  REQUIRE_NOTHROW(v = p.response.json());
  REQUIRE(v.is_array());
  p.items = v.as_array();
  if (validate)
    for (const auto& i : p.items) check_spec(i, "Individual");
  CHECK(p.response.header("x-result-count") == std::to_string(p.items.size()));
  return p;
}

std::vector<std::string> values_of(const json::array& items, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(str(i.as_object(), key));
  return out;
}

// The family names a query returns, in the order served.
std::vector<std::string> families(HttpClient& c, const std::string& query) {
  return values_of(list(c, query).items, "familyName");
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Requires a TMF error response: status, {code, reason, message, status, @type}, spec-valid
// "Error", and optionally a message naming `mention`.
json::object check_error(const HttpResponse& r, int status, const std::string& mention = {}) {
  auto o = check_typed_error_response(r, status, kTmf632, mention);
  INFO("status " << r.status << " body " << r.body);
  CHECK(!str(o, "message").empty());
  CHECK_THAT(r.header("content-type"), StartsWith("application/json"));
  return o;
}

// What a refused request must leave untouched: the stored rows and the outbox.
struct Snapshot {
  long long resources = 0;
  long long events = 0;
  std::vector<std::vector<std::string>> bodies;

  static Snapshot take(const TmfdProcess& p) {
    ReadOnlyDb db(p.database_path());
    Snapshot s;
    s.resources = db.count("SELECT count(*) FROM r_party_individual");
    s.events = db.count("SELECT count(*) FROM tmfd_outbox");
    s.bodies = db.text_rows("SELECT id, version, body FROM r_party_individual ORDER BY id");
    return s;
  }
  bool operator==(const Snapshot& o) const {
    return resources == o.resources && events == o.events && bodies == o.bodies;
  }
};

// Four well-known people with attributes on every path shape the filters support: indexed
// (familyName, givenName, status), unindexed top level (birthDate, nationality, gender), a nested
// extension object (profile.address.city, profile.score) and arrays of objects (relatedParty.id,
// contactMedium.characteristic.emailAddress).
void seed_people(HttpClient& c) {
  create(c, json::parse(R"({
    "givenName": "Ada", "familyName": "Lovelace", "birthDate": "1815-12-10T00:00:00Z",
    "nationality": "British", "gender": "female",
    "relatedParty": [{"id": "org-1", "@referredType": "Organization", "role": "employer"}],
    "contactMedium": [{"mediumType": "email", "characteristic": {"emailAddress": "ada@example.com"}}],
    "profile": {"tier": "gold", "score": 9, "address": {"city": "London"}}})").as_object());
  create(c, json::parse(R"({
    "givenName": "Alan", "familyName": "Turing", "birthDate": "1912-06-23T00:00:00Z",
    "nationality": "British", "gender": "male",
    "relatedParty": [{"id": "org-2", "@referredType": "Organization"},
                     {"id": "org-1", "@referredType": "Organization", "role": "advisor"}],
    "profile": {"tier": "silver", "score": 10, "address": {"city": "Manchester"}}})").as_object());
  create(c, json::parse(R"({
    "givenName": "Grace", "familyName": "Hopper", "birthDate": "1906-12-09T00:00:00Z",
    "nationality": "American", "gender": "female",
    "relatedParty": [{"id": "org-3", "@referredType": "Organization"}],
    "contactMedium": [{"mediumType": "email", "characteristic": {"emailAddress": "grace@example.com"}}],
    "profile": {"tier": "gold", "score": 100, "address": {"city": "New York"}}})").as_object());
  create(c, json::parse(R"({
    "givenName": "Edsger", "familyName": "Dijkstra", "birthDate": "1930-05-11T00:00:00Z",
    "nationality": "Dutch", "gender": "male", "status": "validated"})").as_object());
}

using Names = std::vector<std::string>;

} // namespace

// ---------------------------------------------------------------------------------------------
// Create and read
// ---------------------------------------------------------------------------------------------

TEST_CASE("engine: POST creates an individual with server-set id, href, @type and initial status",
          "[engine][create]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto r = post(c, person("Ada", "Lovelace", {{"nationality", "British"}}));
  INFO(r.body);
  REQUIRE(r.status == 201);
  CHECK_THAT(r.header("content-type"), StartsWith("application/json"));
  auto o = as_object(r);
  check_spec(o, "Individual");

  const std::string id = str(o, "id");
  REQUIRE(!id.empty());
  CHECK(str(o, "href") == item(id));  // relative href: no public_base_url configured
  CHECK(r.header("location") == str(o, "href"));
  CHECK(r.header("etag") == "\"1\"");
  CHECK(str(o, "@type") == "Individual");
  CHECK(str(o, "status") == "initialized");
  // Everything the client sent is there.
  CHECK(str(o, "givenName") == "Ada");
  CHECK(str(o, "familyName") == "Lovelace");
  CHECK(str(o, "nationality") == "British");

  // The stored resource is the one served.
  std::string etag;
  CHECK(fetch(c, id, &etag) == o);
  CHECK(etag == "\"1\"");
}

TEST_CASE("engine: a client-sent id and href are replaced by the server's", "[engine][create]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace", {{"id", "my-own-id"}, {"href", "http://evil/individual/x"}}));
  const std::string id = str(o, "id");
  CHECK(id != "my-own-id");
  CHECK(str(o, "href") == item(id));
  CHECK(c.get(item("my-own-id")).status == 404);
  CHECK(fetch(c, id) == o);

  // Two creates with the same client id are two resources.
  auto o2 = create(c, person("Alan", "Turing", {{"id", "my-own-id"}}));
  CHECK(str(o2, "id") != id);
  CHECK(list(c, "").response.header("x-total-count") == "2");
}

TEST_CASE("engine: a client-sent @type is kept and a client-sent status is honoured on create",
          "[engine][create]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace", {{"@type", "Individual"}, {"status", "validated"}}));
  CHECK(str(o, "@type") == "Individual");
  CHECK(str(o, "status") == "validated");
}

TEST_CASE("engine: GET by id returns the stored body with its ETag", "[engine][read]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Grace", "Hopper"));
  auto r = c.get(item(str(o, "id")));
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(r.header("etag") == "\"1\"");
  CHECK_THAT(r.header("content-type"), StartsWith("application/json"));
  CHECK(as_object(r) == o);
  check_spec(as_object(r), "Individual");
}

TEST_CASE("engine: GET of an unknown id is 404 with a TMF error body", "[engine][read][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto e = check_error(c.get(item("does-not-exist")), 404, "does-not-exist");
  CHECK(str(e, "code") == "NOT_FOUND");
}

TEST_CASE("engine: GET by id applies fields and refuses list-only parameters", "[engine][read][fields]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace", {{"nationality", "British"}}));
  const std::string id = str(o, "id");

  auto r = c.get(item(id) + "?fields=familyName");
  REQUIRE(r.status == 200);
  auto p = as_object(r);
  check_spec(p, "Individual");
  CHECK(str(p, "id") == id);
  CHECK(str(p, "href") == item(id));
  CHECK(str(p, "familyName") == "Lovelace");
  CHECK_FALSE(p.contains("givenName"));
  CHECK_FALSE(p.contains("nationality"));
  CHECK(r.header("etag") == "\"1\"");

  check_error(c.get(item(id) + "?limit=1"), 400);
  check_error(c.get(item(id) + "?familyName=Lovelace"), 400);
}

// ---------------------------------------------------------------------------------------------
// Listing: paging, filters, projection, sorting
// ---------------------------------------------------------------------------------------------

TEST_CASE("engine: list pages with offset and limit and counts with X-Total-Count and X-Result-Count",
          "[engine][list]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  std::set<std::string> all;
  for (int i = 0; i < 5; ++i) all.insert(str(create(c, person("P" + std::to_string(i), "Paged")), "id"));

  auto whole = list(c, "");
  CHECK(whole.response.header("x-total-count") == "5");
  CHECK(whole.response.header("x-result-count") == "5");
  CHECK(whole.items.size() == 5);

  std::set<std::string> seen;
  std::size_t pages = 0;
  for (std::size_t offset = 0; offset < 5; offset += 2) {
    auto p = list(c, "offset=" + std::to_string(offset) + "&limit=2");
    ++pages;
    CHECK(p.response.header("x-total-count") == "5");
    CHECK(p.items.size() == std::min<std::size_t>(2, 5 - offset));
    for (const auto& id : values_of(p.items, "id")) CHECK(seen.insert(id).second);  // pages are disjoint
  }
  CHECK(pages == 3);
  CHECK(seen == all);  // and together they are the whole collection

  auto last = list(c, "offset=4&limit=2");
  CHECK(last.response.header("x-result-count") == "1");
  auto past = list(c, "offset=5");
  CHECK(past.items.empty());
  CHECK(past.response.body == "[]");
  CHECK(past.response.header("x-total-count") == "5");
  CHECK(past.response.header("x-result-count") == "0");

  // A total reflects the filter, not the page.
  auto filtered = list(c, "givenName=P1,P3&limit=1");
  CHECK(filtered.response.header("x-total-count") == "2");
  CHECK(filtered.items.size() == 1);
}

TEST_CASE("engine: an empty collection lists as [] with zero counts", "[engine][list]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto p = list(c, "");
  CHECK(p.response.body == "[]");
  CHECK(p.response.header("x-total-count") == "0");
  CHECK(p.response.header("x-result-count") == "0");
}

TEST_CASE("engine: equality filters on indexed attributes", "[engine][list][filter]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  CHECK(families(c, "familyName=Hopper") == Names{"Hopper"});
  CHECK(families(c, "givenName=Alan") == Names{"Turing"});
  CHECK(families(c, "status=validated") == Names{"Dijkstra"});
  CHECK(sorted(families(c, "status=initialized")) == Names{"Hopper", "Lovelace", "Turing"});
  CHECK(families(c, "familyName=Nobody").empty());
  auto none = list(c, "familyName=Nobody");
  CHECK(none.response.header("x-total-count") == "0");
  // Filters on several attributes are ANDed.
  CHECK(families(c, "status=initialized&familyName=Dijkstra").empty());
  CHECK(families(c, "status=validated&givenName=Edsger") == Names{"Dijkstra"});
}

TEST_CASE("engine: equality filters on unindexed attributes", "[engine][list][filter]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  CHECK(sorted(families(c, "nationality=British")) == Names{"Lovelace", "Turing"});
  CHECK(sorted(families(c, "gender=female")) == Names{"Hopper", "Lovelace"});
  CHECK(families(c, "birthDate=1906-12-09T00:00:00Z") == Names{"Hopper"});
  // Mixed indexed and unindexed.
  CHECK(families(c, "gender=female&familyName=Hopper") == Names{"Hopper"});
  CHECK(families(c, "gender=male&status=validated") == Names{"Dijkstra"});
  // Percent-encoded values are decoded.
  CHECK(families(c, "profile.address.city=New%20York") == Names{"Hopper"});
}

TEST_CASE("engine: comma-separated filter values are alternatives", "[engine][list][filter]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  CHECK(sorted(families(c, "familyName=Turing,Hopper")) == Names{"Hopper", "Turing"});
  CHECK(sorted(families(c, "status=initialized,validated")).size() == 4);
  CHECK(sorted(families(c, "nationality=Dutch,American")) == Names{"Dijkstra", "Hopper"});
  CHECK(sorted(families(c, "familyName=Turing,Nobody")) == Names{"Turing"});
  CHECK(list(c, "nationality=British,Dutch").response.header("x-total-count") == "3");
}

TEST_CASE("engine: comparison operators on an indexed attribute", "[engine][list][filter]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  // Dijkstra < Hopper < Lovelace < Turing
  CHECK(sorted(families(c, "familyName.gt=Lovelace")) == Names{"Turing"});
  CHECK(sorted(families(c, "familyName.gte=Lovelace")) == Names{"Lovelace", "Turing"});
  CHECK(sorted(families(c, "familyName.lt=Hopper")) == Names{"Dijkstra"});
  CHECK(sorted(families(c, "familyName.lte=Hopper")) == Names{"Dijkstra", "Hopper"});
  CHECK(sorted(families(c, "familyName.eq=Hopper")) == Names{"Hopper"});
  CHECK(sorted(families(c, "familyName.gt=Dijkstra&familyName.lt=Turing")) == Names{"Hopper", "Lovelace"});
}

TEST_CASE("engine: comparison operators on unindexed attributes", "[engine][list][filter]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  // Lovelace 1815 < Hopper 1906 < Turing 1912 < Dijkstra 1930
  CHECK(sorted(families(c, "birthDate.gt=1910-01-01T00:00:00Z")) == Names{"Dijkstra", "Turing"});
  CHECK(sorted(families(c, "birthDate.gte=1906-12-09T00:00:00Z")) == Names{"Dijkstra", "Hopper", "Turing"});
  CHECK(sorted(families(c, "birthDate.lt=1900-01-01T00:00:00Z")) == Names{"Lovelace"});
  CHECK(sorted(families(c, "birthDate.lte=1906-12-09T00:00:00Z")) == Names{"Hopper", "Lovelace"});
  CHECK(sorted(families(c, "birthDate.eq=1912-06-23T00:00:00Z")) == Names{"Turing"});
  CHECK(sorted(families(c, "birthDate.gt=1900-01-01T00:00:00Z&birthDate.lt=1920-01-01T00:00:00Z")) ==
        Names{"Hopper", "Turing"});
  // Numbers compare as numbers (9 < 10 < 100), not as text.
  CHECK(sorted(families(c, "profile.score.gt=10")) == Names{"Hopper"});
  CHECK(sorted(families(c, "profile.score.gte=10")) == Names{"Hopper", "Turing"});
  CHECK(sorted(families(c, "profile.score.lt=10")) == Names{"Lovelace"});
  CHECK(sorted(families(c, "profile.score.lte=10")) == Names{"Lovelace", "Turing"});
  CHECK(sorted(families(c, "profile.score.eq=100")) == Names{"Hopper"});
  CHECK(sorted(families(c, "profile.score=9")) == Names{"Lovelace"});
}

TEST_CASE("engine: filters on nested object attributes", "[engine][list][filter]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  CHECK(sorted(families(c, "profile.tier=gold")) == Names{"Hopper", "Lovelace"});
  CHECK(sorted(families(c, "profile.address.city=London")) == Names{"Lovelace"});
  CHECK(sorted(families(c, "profile.address.city=London,Manchester")) == Names{"Lovelace", "Turing"});
  CHECK(families(c, "profile.address.city=Paris").empty());
  CHECK(families(c, "profile.nothing.here=x").empty());
}

TEST_CASE("engine: filters through arrays of objects", "[engine][list][filter]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  // Any element of the array may match.
  CHECK(sorted(families(c, "relatedParty.id=org-1")) == Names{"Lovelace", "Turing"});
  CHECK(sorted(families(c, "relatedParty.id=org-2")) == Names{"Turing"});
  CHECK(sorted(families(c, "relatedParty.id=org-3,org-2")) == Names{"Hopper", "Turing"});
  CHECK(sorted(families(c, "relatedParty.role=advisor")) == Names{"Turing"});
  CHECK(sorted(families(c, "contactMedium.characteristic.emailAddress=grace@example.com")) == Names{"Hopper"});
  CHECK(sorted(families(c, "contactMedium.mediumType=email")) == Names{"Hopper", "Lovelace"});
  CHECK(families(c, "relatedParty.id=org-9").empty());
}

TEST_CASE("engine: fields= projects the listed attributes and keeps id and href", "[engine][list][fields]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  auto p = list(c, "fields=givenName");
  REQUIRE(p.items.size() == 4);
  for (const auto& v : p.items) {
    const auto& o = v.as_object();
    INFO(json::serialize(o));
    CHECK(!str(o, "id").empty());
    CHECK(str(o, "href") == item(str(o, "id")));
    CHECK(!str(o, "givenName").empty());
    CHECK_FALSE(o.contains("familyName"));
    CHECK_FALSE(o.contains("birthDate"));
    CHECK_FALSE(o.contains("relatedParty"));
    for (const auto& kv : o) {
      std::string k(kv.key());
      CHECK((k == "id" || k == "href" || k == "@type" || k == "givenName"));
    }
  }

  // Several fields, nested fields, with a filter.
  // (relatedParty items lose their mandatory @referredType here: not spec-validated on purpose.)
  auto q = list(c, "familyName=Turing&fields=birthDate,relatedParty.id,profile.address.city", false);
  REQUIRE(q.items.size() == 1);
  const auto& t = q.items[0].as_object();
  INFO(json::serialize(t));
  CHECK(str(t, "birthDate") == "1912-06-23T00:00:00Z");
  CHECK_FALSE(t.contains("givenName"));
  CHECK(t.at("relatedParty") == json::parse(R"([{"id":"org-2"},{"id":"org-1"}])"));
  CHECK(t.at("profile") == json::parse(R"({"address":{"city":"Manchester"}})"));
  CHECK(!str(t, "id").empty());
  CHECK(!str(t, "href").empty());
}

TEST_CASE("engine: sort= orders ascending, descending and by several keys", "[engine][list][sort]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  // Indexed attribute.
  CHECK(families(c, "sort=familyName") == Names{"Dijkstra", "Hopper", "Lovelace", "Turing"});
  CHECK(families(c, "sort=-familyName") == Names{"Turing", "Lovelace", "Hopper", "Dijkstra"});
  CHECK(families(c, "sort=%2BfamilyName") == Names{"Dijkstra", "Hopper", "Lovelace", "Turing"});
  // Unindexed attribute.
  CHECK(families(c, "sort=birthDate") == Names{"Lovelace", "Hopper", "Turing", "Dijkstra"});
  CHECK(families(c, "sort=-birthDate") == Names{"Dijkstra", "Turing", "Hopper", "Lovelace"});
  // Several keys: the second breaks ties of the first.
  CHECK(families(c, "sort=gender,-birthDate") == Names{"Hopper", "Lovelace", "Dijkstra", "Turing"});
  CHECK(families(c, "sort=nationality,familyName") == Names{"Hopper", "Lovelace", "Turing", "Dijkstra"});
  CHECK(families(c, "sort=-nationality,-familyName") == Names{"Dijkstra", "Turing", "Lovelace", "Hopper"});
  CHECK(families(c, "sort=status,familyName") == Names{"Hopper", "Lovelace", "Turing", "Dijkstra"});
  // Nested attribute, and sorting combined with a filter and paging.
  CHECK(families(c, "sort=profile.address.city&gender=female") == Names{"Lovelace", "Hopper"});
  CHECK(families(c, "sort=familyName&offset=1&limit=2") == Names{"Hopper", "Lovelace"});
  CHECK(families(c, "sort=-familyName&status=initialized&limit=2") == Names{"Turing", "Lovelace"});
}

TEST_CASE("engine: malformed list queries are refused with 400", "[engine][list][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  seed_people(c);
  for (const std::string q :
       {"limit=abc", "offset=-1", "limit=-5", "offset=1.5", "limit=", "offset=", "familyName=",
        "familyName", "familyName=a,,b", "familyName=a,", "fam%21ly=x", "given%20Name=x", "a..b=1",
        ".familyName=x", "familyName.=x", "familyName.gt=a,b", "sort=", "sort=-", "sort=family..Name",
        "fields=", "fields=a,,b", "limit=1&limit=2", "offset=0&offset=1", "%zz=1", "familyName=%zz",
        "=x", "limit=99999999999999999999999"}) {
    INFO("query: " << q);
    check_error(c.get(kIndividuals + "?" + q), 400);
  }
  // The refusal names the offending parameter.
  check_error(c.get(kIndividuals + "?limit=abc"), 400, "limit");
  check_error(c.get(kIndividuals + "?offset=-1"), 400, "offset");
  check_error(c.get(kIndividuals + "?familyName="), 400, "familyName");
}

// ---------------------------------------------------------------------------------------------
// PATCH
// ---------------------------------------------------------------------------------------------

TEST_CASE("engine: PATCH with application/merge-patch+json merges, replaces and removes attributes",
          "[engine][patch]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace",
                            {{"nationality", "British"},
                             {"profile", json::parse(R"({"tier":"gold","address":{"city":"London","zip":"W1"}})")}}));
  const std::string id = str(o, "id");

  auto r = patch(c, id, json::parse(R"({"middleName":"Augusta","nationality":null,
                                        "profile":{"tier":"platinum","address":{"zip":null}}})"));
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(r.header("etag") == "\"2\"");
  auto p = as_object(r);
  check_spec(p, "Individual");
  CHECK(str(p, "middleName") == "Augusta");
  CHECK_FALSE(p.contains("nationality"));
  CHECK(p.at("profile") == json::parse(R"({"tier":"platinum","address":{"city":"London"}})"));
  // Untouched attributes and server-set ones are kept.
  CHECK(str(p, "givenName") == "Ada");
  CHECK(str(p, "id") == id);
  CHECK(str(p, "href") == item(id));
  CHECK(str(p, "status") == "initialized");

  std::string etag;
  CHECK(fetch(c, id, &etag) == p);
  CHECK(etag == "\"2\"");
}

TEST_CASE("engine: PATCH with plain application/json is a merge patch", "[engine][patch]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace", {{"nationality", "British"}}));
  const std::string id = str(o, "id");
  auto r = patch(c, id, json::parse(R"({"gender":"female","nationality":null})"), "application/json");
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto p = as_object(r);
  check_spec(p, "Individual");
  CHECK(str(p, "gender") == "female");
  CHECK_FALSE(p.contains("nationality"));
  CHECK(fetch(c, id) == p);

  // Parameters on the media type are accepted too.
  auto r2 = patch(c, id, json::parse(R"({"title":"Countess"})"), "application/merge-patch+json; charset=utf-8");
  REQUIRE(r2.status == 200);
  CHECK(str(as_object(r2), "title") == "Countess");
}

TEST_CASE("engine: PATCH with application/json-patch+json applies the operations in order",
          "[engine][patch][jsonpatch]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, json::parse(R"({"givenName":"Ada","familyName":"Lovelace","nationality":"British",
      "contactMedium":[{"mediumType":"email","characteristic":{"emailAddress":"ada@example.com"}}]})")
                         .as_object());
  const std::string id = str(o, "id");
  auto ops = json::parse(R"([
    {"op":"test","path":"/familyName","value":"Lovelace"},
    {"op":"replace","path":"/givenName","value":"Augusta Ada"},
    {"op":"add","path":"/contactMedium/-","value":{"mediumType":"phone","characteristic":{"phoneNumber":"+44 20 0000"}}},
    {"op":"remove","path":"/nationality"},
    {"op":"copy","from":"/givenName","path":"/preferredGivenName"},
    {"op":"move","from":"/preferredGivenName","path":"/formattedName"},
    {"op":"test","path":"/formattedName","value":"Augusta Ada"}])");
  auto r = patch(c, id, ops, "application/json-patch+json");
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(r.header("etag") == "\"2\"");
  auto p = as_object(r);
  check_spec(p, "Individual");
  CHECK(str(p, "givenName") == "Augusta Ada");
  CHECK(str(p, "formattedName") == "Augusta Ada");
  CHECK_FALSE(p.contains("preferredGivenName"));
  CHECK_FALSE(p.contains("nationality"));
  REQUIRE(p.at("contactMedium").is_array());
  CHECK(p.at("contactMedium").as_array().size() == 2);
  CHECK(p.at("contactMedium").as_array()[1].at("mediumType") == "phone");
  CHECK(fetch(c, id) == p);
}

TEST_CASE("engine: a failing JSON Patch test operation is 409 and changes nothing",
          "[engine][patch][jsonpatch][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  auto before = Snapshot::take(tmfd);
  // The replace comes first: applying operations one by one would leave it behind.
  auto r = patch(c, id, json::parse(R"([{"op":"replace","path":"/givenName","value":"Changed"},
                                         {"op":"test","path":"/familyName","value":"Byron"}])"),
                 "application/json-patch+json");
  check_error(r, 409);
  std::string etag;
  CHECK(fetch(c, id, &etag) == o);
  CHECK(etag == "\"1\"");
  CHECK(Snapshot::take(tmfd) == before);
}

TEST_CASE("engine: malformed JSON Patch documents are 400", "[engine][patch][jsonpatch][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  const std::string ct = "application/json-patch+json";
  check_error(patch(c, id, json::parse(R"({"givenName":"x"})"), ct), 400);  // not an array
  check_error(patch(c, id, json::parse(R"([{"op":"frobnicate","path":"/givenName"}])"), ct), 400);
  check_error(patch(c, id, json::parse(R"([{"op":"replace","value":"x"}])"), ct), 400);
  check_error(patch(c, id, json::parse(R"([{"op":"replace","path":"givenName","value":"x"}])"), ct), 400);
  check_error(send(c, "PATCH", item(id), "[{\"op\":", ct), 400);
  CHECK(fetch(c, id) == o);
}

TEST_CASE("engine: PATCH cannot change id or href", "[engine][patch][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  auto before = Snapshot::take(tmfd);

  check_error(patch(c, id, json::parse(R"({"id":"another-id","givenName":"X"})")), 400, "id");
  check_error(patch(c, id, json::parse(R"({"href":"/somewhere/else"})")), 400, "href");
  check_error(patch(c, id, json::parse(R"({"id":null})")), 400, "id");
  check_error(patch(c, id, json::parse(R"([{"op":"remove","path":"/href"}])"), "application/json-patch+json"), 400,
              "href");
  check_error(patch(c, id, json::parse(R"([{"op":"replace","path":"/id","value":"x"}])"),
                    "application/json-patch+json"),
              400, "id");

  std::string etag;
  CHECK(fetch(c, id, &etag) == o);
  CHECK(etag == "\"1\"");
  CHECK(c.get(item("another-id")).status == 404);
  CHECK(Snapshot::take(tmfd) == before);
}

TEST_CASE("engine: an unsupported Content-Type is 415", "[engine][patch][create][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  const std::string body = R"({"givenName":"Changed"})";
  check_error(send(c, "PATCH", item(id), body, "text/plain"), 415);
  check_error(send(c, "PATCH", item(id), body, "application/xml"), 415);
  check_error(send(c, "PATCH", item(id), body), 415);  // no Content-Type
  check_error(send(c, "POST", kIndividuals, json::serialize(person("B", "C")), "text/plain"), 415);
  check_error(send(c, "POST", kIndividuals, json::serialize(person("B", "C")), "application/merge-patch+json"), 415);
  check_error(send(c, "POST", kIndividuals, json::serialize(person("B", "C"))), 415);
  CHECK(fetch(c, id) == o);
  CHECK(list(c, "").response.header("x-total-count") == "1");

  // Media type parameters and case do not matter.
  auto r = send(c, "POST", kIndividuals, json::serialize(person("B", "C")), "Application/JSON; charset=utf-8");
  CHECK(r.status == 201);
}

TEST_CASE("engine: malformed JSON is 400", "[engine][patch][create][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  check_error(send(c, "POST", kIndividuals, R"({"givenName": "Ada", )", "application/json"), 400);
  check_error(send(c, "POST", kIndividuals, "", "application/json"), 400);
  check_error(send(c, "POST", kIndividuals, R"([{"givenName":"Ada","familyName":"L"}])", "application/json"), 400);
  check_error(send(c, "POST", kIndividuals, R"("just a string")", "application/json"), 400);
  check_error(send(c, "PATCH", item(id), "{not json}", "application/merge-patch+json"), 400);
  check_error(send(c, "PATCH", item(id), R"(["givenName"])", "application/merge-patch+json"), 400);
  CHECK(fetch(c, id) == o);
  CHECK(list(c, "").response.header("x-total-count") == "1");
}

TEST_CASE("engine: an attribute of the wrong type is 400 naming the attribute", "[engine][create][patch][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto e = check_error(post(c, json::parse(R"({"givenName":"Ada","familyName":123})")), 400, "familyName");
  CHECK(str(e, "code") == "INVALID_ATTRIBUTE");
  check_error(post(c, person("Ada", "Lovelace", {{"birthDate", "10 December 1815"}})), 400, "birthDate");
  check_error(post(c, person("Ada", "Lovelace", {{"birthDate", "1815-12-10"}})), 400, "birthDate");
  check_error(post(c, person("Ada", "Lovelace", {{"contactMedium", json::object{{"mediumType", "email"}}}})), 400,
              "contactMedium");
  check_error(post(c, person("Ada", "Lovelace", {{"@type", 5}})), 400, "@type");
  check_error(post(c, person("Ada", "Lovelace", {{"status", true}})), 400, "status");
  CHECK(list(c, "").response.header("x-total-count") == "0");

  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  check_error(patch(c, id, json::parse(R"({"familyName":123})")), 400, "familyName");
  check_error(patch(c, id, json::parse(R"({"givenName":["Ada"]})")), 400, "givenName");
  check_error(patch(c, id, json::parse(R"({"deathDate":"soon"})")), 400, "deathDate");
  CHECK(fetch(c, id) == o);
}

TEST_CASE("engine: a missing mandatory attribute is 400 naming it", "[engine][create][patch][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto e = check_error(post(c, json::parse(R"({"familyName":"Lovelace"})")), 400, "givenName");
  CHECK(str(e, "code") == "MISSING_ATTRIBUTE");
  check_error(post(c, json::parse(R"({"givenName":"Ada"})")), 400, "familyName");
  check_error(post(c, json::parse(R"({"givenName":"","familyName":"Lovelace"})")), 400, "givenName");
  check_error(post(c, json::parse(R"({"givenName":null,"familyName":"Lovelace"})")), 400, "givenName");
  check_error(post(c, json::object{}), 400);
  CHECK(list(c, "").response.header("x-total-count") == "0");

  // Removing it later is refused the same way.
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  check_error(patch(c, id, json::parse(R"({"givenName":null})")), 400, "givenName");
  check_error(patch(c, id, json::parse(R"([{"op":"remove","path":"/givenName"}])"), "application/json-patch+json"),
              400, "givenName");
  CHECK(fetch(c, id) == o);
}

TEST_CASE("engine: If-Match guards PATCH and DELETE and the ETag increments on each change",
          "[engine][patch][delete][etag]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  auto body = json::parse(R"({"middleName":"Augusta"})");
  const std::string mp = "application/merge-patch+json";

  check_error(patch(c, id, body, mp, {{"If-Match", "\"7\""}}), 412);
  std::string etag;
  CHECK(fetch(c, id, &etag) == o);
  CHECK(etag == "\"1\"");

  auto r = patch(c, id, body, mp, {{"If-Match", "\"1\""}});
  REQUIRE(r.status == 200);
  CHECK(r.header("etag") == "\"2\"");
  check_spec(as_object(r), "Individual");

  // The old ETag is stale now.
  check_error(patch(c, id, json::parse(R"({"middleName":"Byron"})"), mp, {{"If-Match", "\"1\""}}), 412);
  CHECK(str(fetch(c, id), "middleName") == "Augusta");

  // Without If-Match the ETag still moves on; weak tags, lists and * are understood.
  auto r3 = patch(c, id, json::parse(R"({"title":"Countess"})"));
  REQUIRE(r3.status == 200);
  CHECK(r3.header("etag") == "\"3\"");
  auto r4 = patch(c, id, json::parse(R"({"title":"Lady"})"), mp, {{"If-Match", "W/\"3\""}});
  REQUIRE(r4.status == 200);
  CHECK(r4.header("etag") == "\"4\"");
  auto r5 = patch(c, id, json::parse(R"({"title":"Dr"})"), mp, {{"If-Match", "\"1\", \"4\""}});
  REQUIRE(r5.status == 200);
  CHECK(r5.header("etag") == "\"5\"");
  auto r6 = patch(c, id, json::parse(R"({"title":"Prof"})"), mp, {{"If-Match", "*"}});
  REQUIRE(r6.status == 200);
  CHECK(r6.header("etag") == "\"6\"");
  fetch(c, id, &etag);
  CHECK(etag == "\"6\"");

  // DELETE honours If-Match too.
  check_error(send(c, "DELETE", item(id), {}, {}, {{"If-Match", "\"5\""}}), 412);
  CHECK(c.get(item(id)).status == 200);
  auto d = send(c, "DELETE", item(id), {}, {}, {{"If-Match", "\"6\""}});
  CHECK(d.status == 204);
  CHECK(c.get(item(id)).status == 404);
}

TEST_CASE("engine: a PATCH that changes nothing keeps the ETag and announces nothing", "[engine][patch][events]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace", {{"nationality", "British"}}));
  const std::string id = str(o, "id");
  auto before = Snapshot::take(tmfd);
  auto r = patch(c, id, json::parse(R"({"givenName":"Ada","nationality":"British","absent":null})"));
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(r.header("etag") == "\"1\"");
  CHECK(as_object(r) == o);
  CHECK(Snapshot::take(tmfd) == before);
}

TEST_CASE("engine: PATCH of an unknown id is 404", "[engine][patch][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  check_error(patch(c, "no-such-id", json::parse(R"({"givenName":"X"})")), 404, "no-such-id");
  check_error(patch(c, "no-such-id", json::parse(R"([{"op":"add","path":"/title","value":"X"}])"),
                    "application/json-patch+json"),
              404);
}

// ---------------------------------------------------------------------------------------------
// DELETE
// ---------------------------------------------------------------------------------------------

TEST_CASE("engine: DELETE answers 204, then the resource is gone", "[engine][delete]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto keep = create(c, person("Alan", "Turing"));
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");

  auto d = send(c, "DELETE", item(id));
  CHECK(d.status == 204);
  CHECK(d.body.empty());
  check_error(c.get(item(id)), 404);
  check_error(send(c, "DELETE", item(id)), 404);  // a second delete finds nothing
  check_error(patch(c, id, json::parse(R"({"title":"x"})")), 404);

  auto all = list(c, "");
  CHECK(all.response.header("x-total-count") == "1");
  CHECK(values_of(all.items, "id") == Names{str(keep, "id")});
  CHECK(families(c, "familyName=Lovelace").empty());
}

TEST_CASE("engine: DELETE of an unknown id is 404", "[engine][delete][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  check_error(send(c, "DELETE", item("never-existed")), 404, "never-existed");
}

// ---------------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------------

TEST_CASE("engine: the individual lifecycle allows its transitions and refuses others with 409",
          "[engine][lifecycle]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  REQUIRE(str(o, "status") == "initialized");

  auto v = patch(c, id, json::parse(R"({"status":"validated"})"));
  REQUIRE(v.status == 200);
  CHECK(str(as_object(v), "status") == "validated");
  check_spec(as_object(v), "Individual");

  check_error(patch(c, id, json::parse(R"({"status":"initialized"})")), 409, "initialized");

  auto dd = patch(c, id, json::parse(R"({"status":"deceased"})"));
  REQUIRE(dd.status == 200);
  CHECK(str(as_object(dd), "status") == "deceased");
  check_spec(as_object(dd), "Individual");

  auto before = Snapshot::take(tmfd);
  auto e = check_error(patch(c, id, json::parse(R"({"status":"validated","title":"x"})")), 409, "validated");
  CHECK(str(e, "code") == "INVALID_STATE_TRANSITION");
  check_error(patch(c, id, json::parse(R"([{"op":"replace","path":"/status","value":"validated"}])"),
                    "application/json-patch+json"),
              409);
  CHECK(str(fetch(c, id), "status") == "deceased");
  CHECK(Snapshot::take(tmfd) == before);

  // Straight from initialized to deceased is allowed; unknown states and removal are not.
  auto other = create(c, person("Alan", "Turing"));
  const std::string id2 = str(other, "id");
  check_error(patch(c, id2, json::parse(R"({"status":"retired"})")), 400, "status");
  check_error(patch(c, id2, json::parse(R"({"status":null})")), 400, "status");
  check_error(post(c, person("Grace", "Hopper", {{"status", "retired"}})), 400, "status");
  auto direct = patch(c, id2, json::parse(R"({"status":"deceased"})"));
  REQUIRE(direct.status == 200);
  CHECK(str(as_object(direct), "status") == "deceased");
}

TEST_CASE("engine: the spec's misspelt state 'deceaded' is stored as 'deceased'", "[engine][lifecycle]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace", {{"status", "deceaded"}}));
  CHECK(str(o, "status") == "deceased");
  CHECK(str(fetch(c, str(o, "id")), "status") == "deceased");

  auto other = create(c, person("Alan", "Turing"));
  auto r = patch(c, str(other, "id"), json::parse(R"({"status":"deceaded"})"));
  REQUIRE(r.status == 200);
  CHECK(str(as_object(r), "status") == "deceased");
  check_spec(as_object(r), "Individual");

  CHECK(sorted(families(c, "status=deceased")) == Names{"Lovelace", "Turing"});
  ReadOnlyDb db(tmfd.database_path());
  CHECK(db.count("SELECT count(*) FROM r_party_individual WHERE body LIKE '%deceaded%'") == 0);
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

namespace {

// Checks one outbox row against what the change should have announced: its event type and
// correlation id, then the envelope, the individual in it and the spec (check_outbox_event).
void check_event(const OutboxRow& row, const std::string& type, const std::string& correlation_id,
                 const std::string& id, const json::object* resource) {
  INFO(row.event_type << " " << row.payload);
  CHECK(row.event_type == type);
  CHECK(row.correlation_id == correlation_id);
  CHECK(!row.event_id.empty());
  check_outbox_event(row, {"party", "individual", kTmf632}, id, resource);
}

} // namespace

TEST_CASE("engine: each committed change writes its event to the outbox with the caller's correlation id",
          "[engine][events]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());

  auto created = create(c, person("Ada", "Lovelace"), {{"X-Correlation-ID", "corr-create-1"}});
  const std::string id = str(created, "id");

  auto attr = patch(c, id, json::parse(R"({"middleName":"Augusta"})"), "application/merge-patch+json",
                    {{"X-Correlation-ID", "corr-attr-2"}});
  REQUIRE(attr.status == 200);
  CHECK(attr.header("x-correlation-id") == "corr-attr-2");
  auto after_attr = as_object(attr);

  auto state = patch(c, id, json::parse(R"({"status":"validated"})"), "application/merge-patch+json",
                     {{"X-Correlation-ID", "corr-state-3"}});
  REQUIRE(state.status == 200);
  auto after_state = as_object(state);

  // One request that changes both announces both.
  auto both = patch(c, id, json::parse(R"({"status":"deceased","deathDate":"1852-11-27T00:00:00Z"})"),
                    "application/merge-patch+json", {{"X-Correlation-ID", "corr-both-4"}});
  REQUIRE(both.status == 200);
  auto after_both = as_object(both);

  auto del = send(c, "DELETE", item(id), {}, {}, {{"X-Correlation-ID", "corr-delete-5"}});
  REQUIRE(del.status == 204);
  CHECK(del.header("x-correlation-id") == "corr-delete-5");

  auto rows = read_outbox(tmfd, id);
  REQUIRE(rows.size() == 6);
  check_event(rows[0], "IndividualCreateEvent", "corr-create-1", id, &created);
  check_event(rows[1], "IndividualAttributeValueChangeEvent", "corr-attr-2", id, &after_attr);
  check_event(rows[2], "IndividualStateChangeEvent", "corr-state-3", id, &after_state);
  check_event(rows[3], "IndividualAttributeValueChangeEvent", "corr-both-4", id, &after_both);
  check_event(rows[4], "IndividualStateChangeEvent", "corr-both-4", id, &after_both);
  check_event(rows[5], "IndividualDeleteEvent", "corr-delete-5", id, &after_both);

  // Every event has its own id.
  std::set<std::string> ids;
  for (const auto& r : rows) ids.insert(r.event_id);
  CHECK(ids.size() == rows.size());
  // Nothing else was announced.
  CHECK(read_outbox(tmfd).size() == rows.size());
}

TEST_CASE("engine: without X-Correlation-ID the server makes one up, echoes it and records it",
          "[engine][events]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto r = post(c, person("Ada", "Lovelace"));
  REQUIRE(r.status == 201);
  const std::string corr = r.header("x-correlation-id");
  CHECK(!corr.empty());
  auto rows = read_outbox(tmfd, str(as_object(r), "id"));
  REQUIRE(rows.size() == 1);
  check_event(rows[0], "IndividualCreateEvent", corr, str(as_object(r), "id"), nullptr);
}

TEST_CASE("engine: refused requests write neither a resource nor an event", "[engine][events][errors]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  auto o = create(c, person("Ada", "Lovelace"));
  const std::string id = str(o, "id");
  auto deceased = create(c, person("Alan", "Turing", {{"status", "deceased"}}));
  const auto before = Snapshot::take(tmfd);
  REQUIRE(before.resources == 2);
  REQUIRE(before.events == 2);
  const std::string mp = "application/merge-patch+json";
  const std::string jp = "application/json-patch+json";
  Headers corr{{"X-Correlation-ID", "corr-refused"}};

  check_error(post(c, json::parse(R"({"familyName":"NoGiven"})"), corr), 400);
  check_error(post(c, json::parse(R"({"givenName":"A","familyName":1})"), corr), 400);
  check_error(post(c, person("A", "B", {{"status", "unknown"}}), corr), 400);
  check_error(post(c, person("A", "B", {{"birthDate", "2000-01-01T00:00:00Z"}, {"deathDate", "1999-01-01T00:00:00Z"}}),
                   corr),
              400);
  check_error(send(c, "POST", kIndividuals, "{", "application/json", corr), 400);
  check_error(send(c, "POST", kIndividuals, json::serialize(person("A", "B")), "text/plain", corr), 415);
  check_error(patch(c, id, json::parse(R"({"givenName":null})"), mp, corr), 400);
  check_error(patch(c, id, json::parse(R"({"familyName":false})"), mp, corr), 400);
  check_error(patch(c, id, json::parse(R"({"id":"x"})"), mp, corr), 400);
  check_error(patch(c, id, json::parse(R"({"title":"x"})"), mp, {{"If-Match", "\"9\""}, corr[0]}), 412);
  check_error(patch(c, id, json::parse(R"([{"op":"add","path":"/title","value":"x"},{"op":"test","path":"/givenName","value":"no"}])"),
                    jp, corr),
              409);
  check_error(patch(c, str(deceased, "id"), json::parse(R"({"status":"validated","title":"x"})"), mp, corr), 409);
  check_error(send(c, "DELETE", item(id), {}, {}, {{"If-Match", "\"9\""}, corr[0]}), 412);
  check_error(send(c, "DELETE", item("missing"), {}, {}, corr), 404);

  CHECK(Snapshot::take(tmfd) == before);
  for (const auto& row : read_outbox(tmfd)) CHECK(row.correlation_id != "corr-refused");
}

// ---------------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------------

TEST_CASE("engine: concurrent creates from 8 clients are all stored", "[engine][concurrency]") {
  TmfdProcess tmfd;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> created{0};
  std::atomic<int> failures{0};
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::string> first_error(kThreads);
  std::vector<std::thread> threads;
  // No Catch assertions off the main thread: Catch2 v2 is not thread-safe.
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        HttpClient c(tmfd.port());
        for (int i = 0; i < kPerThread; ++i) {
          auto body = person("T" + std::to_string(t), "N" + std::to_string(i));
          auto r = c.post_json(kIndividuals, body);
          if (r.status == 201) {
            ++created;
            ids[t].push_back(std::string(r.json().as_object().at("id").as_string()));
          } else {
            ++failures;
            if (first_error[t].empty()) first_error[t] = std::to_string(r.status) + " " + r.body;
          }
        }
      } catch (const std::exception& e) {
        ++failures;
        first_error[t] = e.what();
      }
    });
  }
  for (auto& th : threads) th.join();
  std::string errors;
  for (const auto& e : first_error)
    if (!e.empty()) errors += "\n  " + e;
  INFO("first error per client:" << errors);
  CHECK(failures == 0);
  CHECK(created == kThreads * kPerThread);

  std::set<std::string> unique;
  for (const auto& v : ids) unique.insert(v.begin(), v.end());
  CHECK(unique.size() == static_cast<std::size_t>(kThreads * kPerThread));

  HttpClient c(tmfd.port());
  auto p = list(c, "limit=1");
  CHECK(p.response.header("x-total-count") == std::to_string(kThreads * kPerThread));
  // Without a limit a page holds the default page size (100); a limit can ask for all of them.
  auto first = list(c, "");
  CHECK(first.items.size() == 100);
  CHECK(first.response.header("x-total-count") == std::to_string(kThreads * kPerThread));
  CHECK(list(c, "limit=1000").items.size() == static_cast<std::size_t>(kThreads * kPerThread));
  CHECK(list(c, "givenName=T3").response.header("x-total-count") == std::to_string(kPerThread));
  ReadOnlyDb db(tmfd.database_path());
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox WHERE event_type='IndividualCreateEvent'") ==
        kThreads * kPerThread);
}

TEST_CASE("engine: concurrent PATCHes with the same If-Match: exactly one wins", "[engine][concurrency][etag]") {
  TmfdProcess tmfd;
  std::string id;
  {
    HttpClient c(tmfd.port());
    id = str(create(c, person("Ada", "Lovelace")), "id");
  }
  constexpr int kThreads = 8;
  std::vector<int> statuses(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        HttpClient c(tmfd.port());
        json::object body{{"middleName", "M" + std::to_string(t)}};
        statuses[t] = patch(c, id, body, "application/merge-patch+json", {{"If-Match", "\"1\""}}).status;
      } catch (const std::exception&) {
        statuses[t] = -1;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(std::count(statuses.begin(), statuses.end(), 200) == 1);
  CHECK(std::count(statuses.begin(), statuses.end(), 412) == kThreads - 1);

  HttpClient c(tmfd.port());
  std::string etag;
  auto final_body = fetch(c, id, &etag);
  CHECK(etag == "\"2\"");
  int winner = static_cast<int>(std::find(statuses.begin(), statuses.end(), 200) - statuses.begin());
  CHECK(str(final_body, "middleName") == "M" + std::to_string(winner));
  auto rows = read_outbox(tmfd, id);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].event_type == "IndividualAttributeValueChangeEvent");
}

// Numbers are stored re-serialized (100.0 becomes 1E2), so equality must compare values, not the
// text of the query with the text of the document.
TEST_CASE("engine: equality filters compare numbers by value, however they were written",
          "[engine][list][filter]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  create(c, person("Ada", "Lovelace", {{"profile", json::parse(R"({"score":100.0})")}}));
  create(c, person("Alan", "Turing", {{"profile", json::parse(R"({"score":10})")}}));
  // Ranges find both (sanity).
  CHECK(families(c, "profile.score.gte=100&profile.score.lte=100") == Names{"Lovelace"});
  CHECK(families(c, "profile.score.gte=10.0&profile.score.lte=10.0") == Names{"Turing"});
  // Equality must agree with them.
  CHECK(families(c, "profile.score=100") == Names{"Lovelace"});
  CHECK(families(c, "profile.score.eq=100") == Names{"Lovelace"});
  CHECK(families(c, "profile.score=10.0") == Names{"Turing"});
}
