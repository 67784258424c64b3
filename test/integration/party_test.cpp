// The party module as a client meets it, over HTTP against the real tmfd binary: the eight
// resource kinds of TMF632 (individual, organization), TMF669 (partyRole), TMF629 (customer) and
// TMF666 (partyAccount, billingAccount, settlementAccount, financialAccount), their mandatory
// attributes, their domain rules, and the events each API defines. Bodies are validated against
// the published swagger files when they are present.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "outbox_reader.hpp"
#include "spec_checks.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
// The kinds under test
// ---------------------------------------------------------------------------------------------

// A kind is the source of its events: EventSource holds its event domain (the API's short name),
// its collection (also the key of the resource inside event payloads) and its spec file.
struct KindInfo : EventSource {
  std::string path;         // collection path
  std::string type;         // @type and spec definition name
  std::string table;        // SQLite table r_<api>_<collection>
  std::vector<std::string> mandatory;
  json::object minimal;     // a spec-valid body with the mandatory attributes only
  json::object change;      // a merge patch changing ordinary attributes
  std::string filter_attr;  // an attribute of `minimal` to filter the list on
  bool create_event = true; // the API defines <Type>CreateEvent (and <Type>DeleteEvent)
};

KindInfo account_kind(const std::string& collection, const std::string& type, bool party_account) {
  KindInfo k;
  k.collection = collection;
  k.path = "/tmf-api/accountManagement/v4/" + collection;
  k.type = type;
  k.spec_file = kTmf666;
  k.table = "r_account_" + collection;
  k.domain = "account";
  k.filter_attr = "name";
  k.change = obj(R"({"description":"Main account","accountType":"postpaid"})");
  if (party_account) {
    k.mandatory = {"name", "relatedParty"};
    k.minimal = obj(R"({"name":"Ada's account",
        "relatedParty":[{"id":"ind-1","name":"Ada Lovelace","role":"owner","@referredType":"Individual"}]})");
    k.create_event = false;  // TMF666 defines only attribute and state change events for these
  } else {
    k.mandatory = {"name"};
    k.minimal = obj(R"({"name":"Ada's financial account"})");
  }
  return k;
}

const std::map<std::string, KindInfo>& kinds() {
  static const std::map<std::string, KindInfo> all = [] {
    std::map<std::string, KindInfo> m;
    KindInfo individual;
    individual.collection = "individual";
    individual.path = "/tmf-api/party/v4/individual";
    individual.type = "Individual";
    individual.spec_file = kTmf632;
    individual.table = "r_party_individual";
    individual.domain = "party";
    individual.mandatory = {"givenName", "familyName"};
    individual.minimal = obj(R"({"givenName":"Ada","familyName":"Lovelace"})");
    individual.change = obj(R"({"middleName":"Augusta","nationality":"British"})");
    individual.filter_attr = "familyName";
    m["individual"] = individual;

    KindInfo organization;
    organization.collection = "organization";
    organization.path = "/tmf-api/party/v4/organization";
    organization.type = "Organization";
    organization.spec_file = kTmf632;
    organization.table = "r_party_organization";
    organization.domain = "party";
    organization.mandatory = {"tradingName"};
    organization.minimal = obj(R"({"tradingName":"Analytical Engines"})");
    organization.change = obj(R"({"name":"Analytical Engines Ltd","isLegalEntity":true})");
    organization.filter_attr = "tradingName";
    m["organization"] = organization;

    KindInfo role;
    role.collection = "partyRole";
    role.path = "/tmf-api/partyRoleManagement/v4/partyRole";
    role.type = "PartyRole";
    role.spec_file = kTmf669;
    role.table = "r_partyRole_partyRole";
    role.domain = "partyRole";
    role.mandatory = {"name"};
    role.minimal = obj(R"({"name":"Supplier"})");
    role.change = obj(R"({"statusReason":"vetted",
        "engagedParty":{"id":"org-1","name":"Analytical Engines","@referredType":"Organization"}})");
    role.filter_attr = "name";
    m["partyRole"] = role;

    KindInfo customer;
    customer.collection = "customer";
    customer.path = "/tmf-api/customerManagement/v4/customer";
    customer.type = "Customer";
    customer.spec_file = kTmf629;
    customer.table = "r_customer_customer";
    customer.domain = "customer";
    customer.mandatory = {"name", "engagedParty"};
    customer.minimal = obj(R"({"name":"Ada as a customer",
        "engagedParty":{"id":"ind-1","name":"Ada Lovelace","@referredType":"Individual"}})");
    customer.change = obj(R"({"statusReason":"credit checked",
        "validFor":{"startDateTime":"2024-01-01T00:00:00Z"}})");
    customer.filter_attr = "name";
    m["customer"] = customer;

    m["partyAccount"] = account_kind("partyAccount", "PartyAccount", true);
    m["billingAccount"] = account_kind("billingAccount", "BillingAccount", true);
    m["settlementAccount"] = account_kind("settlementAccount", "SettlementAccount", true);
    m["financialAccount"] = account_kind("financialAccount", "FinancialAccount", false);
    return m;
  }();
  return all;
}

const KindInfo& kind(const std::string& collection) { return kinds().at(collection); }

// ---------------------------------------------------------------------------------------------
// Spec validation and HTTP helpers
// ---------------------------------------------------------------------------------------------

// Checks a body against the kind's definition in its API's spec.
void check_spec(const json::value& body, const KindInfo& k) {
  tmfd::test::check_spec(body, k.spec_file, k.type);
}

// POSTs a body to the kind's collection.
HttpResponse post(HttpClient& c, const KindInfo& k, const json::object& body, Headers extra = {}) {
  return post_json(c, k.path, body, std::move(extra));
}

// Merge-patches one entity of the kind.
HttpResponse patch(HttpClient& c, const KindInfo& k, const std::string& id, const json::object& body,
                   Headers extra = {}) {
  return merge_patch(c, k.path, id, body, std::move(extra));
}

json::object create(HttpClient& c, const KindInfo& k, const json::object& body) {
  auto o = require_object(post(c, k, body), 201, k.collection);
  check_spec(o, k);
  return o;
}

json::object fetch(HttpClient& c, const KindInfo& k, const std::string& id, std::string* etag = nullptr) {
  auto r = c.get(k.path + "/" + id);
  auto o = require_object(r, 200, k.collection);
  check_spec(o, k);
  if (etag) *etag = r.header("etag");
  return o;
}

json::object patched(HttpClient& c, const KindInfo& k, const std::string& id, const json::object& body) {
  auto o = require_object(patch(c, k, id, body), 200, k.collection);
  check_spec(o, k);
  return o;
}

// A TMF error answer with `status` (see check_typed_error_response), checked against TMF632.
json::object check_error(const HttpResponse& r, int status, const std::string& mention = {}) {
  return check_typed_error_response(r, status, kTmf632, mention);
}

// ---------------------------------------------------------------------------------------------
// Shared scenarios, run for each kind
// ---------------------------------------------------------------------------------------------

// Create with the mandatory attributes only, read it, find it in the list, change it, delete it;
// every body spec-valid, and the outbox holding exactly the events the API defines.
void round_trip(const KindInfo& k) {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());

  auto r = post(c, k, k.minimal, {{"X-Correlation-ID", "rt-create"}});
  INFO(k.collection << ": " << r.body);
  REQUIRE(r.status == 201);
  auto created = as_object(r);
  check_spec(created, k);
  const std::string id = check_created(r, created, k.path, k.type);
  for (const auto& kv : k.minimal) CHECK(created.at(kv.key()) == kv.value());

  std::string etag;
  CHECK(fetch(c, k, id, &etag) == created);
  CHECK(etag == "\"1\"");

  // Listed, counted, and found by a filter on one of its attributes.
  auto all = c.get(k.path);
  REQUIRE(all.status == 200);
  CHECK(all.header("x-total-count") == "1");
  CHECK(all.header("x-result-count") == "1");
  auto items = all.json().as_array();
  REQUIRE(items.size() == 1);
  CHECK(items[0].as_object() == created);
  check_spec(items[0], k);
  auto found = c.get(k.path + "?" + k.filter_attr + "=" + url_encode(str(k.minimal, k.filter_attr)));
  REQUIRE(found.status == 200);
  CHECK(found.header("x-total-count") == "1");
  auto none = c.get(k.path + "?" + k.filter_attr + "=nothing-like-this");
  REQUIRE(none.status == 200);
  CHECK(none.header("x-total-count") == "0");

  auto p = patch(c, k, id, k.change, {{"X-Correlation-ID", "rt-patch"}});
  INFO(p.body);
  REQUIRE(p.status == 200);
  CHECK(p.header("etag") == "\"2\"");
  auto changed = as_object(p);
  check_spec(changed, k);
  for (const auto& kv : k.change) CHECK(changed.at(kv.key()) == kv.value());
  for (const auto& kv : k.minimal) CHECK(changed.at(kv.key()) == kv.value());
  CHECK(fetch(c, k, id) == changed);

  auto d = c.request("DELETE", k.path + "/" + id, {}, {{"X-Correlation-ID", "rt-delete"}});
  CHECK(d.status == 204);
  CHECK(c.get(k.path + "/" + id).status == 404);
  CHECK(c.get(k.path).header("x-total-count") == "0");

  auto rows = read_outbox(tmfd, id);
  std::vector<std::string> expected;
  if (k.create_event) expected.push_back(k.type + "CreateEvent");
  expected.push_back(k.type + "AttributeValueChangeEvent");
  if (k.create_event) expected.push_back(k.type + "DeleteEvent");
  CHECK(event_types(rows) == expected);
  for (const auto& row : rows) {
    const json::object* body = row.event_type == k.type + "CreateEvent" ? &created : &changed;
    check_outbox_event(row, k, id, body);
    const char* corr = row.event_type == k.type + "CreateEvent"  ? "rt-create"
                       : row.event_type == k.type + "DeleteEvent" ? "rt-delete"
                                                                  : "rt-patch";
    CHECK(row.correlation_id == corr);
  }
}

// Each mandatory attribute left out (or empty) is refused with 400 naming it; nothing is stored.
void missing_mandatory(const KindInfo& k) {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  for (const auto& name : k.mandatory) {
    INFO(k.collection << " without " << name);
    auto e = check_error(post(c, k, without(k.minimal, name)), 400, name);
    CHECK(str(e, "code") == "MISSING_ATTRIBUTE");
    check_error(post(c, k, with(k.minimal, {{name, nullptr}})), 400, name);
  }
  check_error(post(c, k, json::object{}), 400);
  CHECK(c.get(k.path).header("x-total-count") == "0");
  CHECK(read_outbox(tmfd).empty());

  // Taking a mandatory attribute away later is refused too.
  auto created = create(c, k, k.minimal);
  const std::string id = str(created, "id");
  for (const auto& name : k.mandatory) {
    INFO(k.collection << " patch removing " << name);
    check_error(patch(c, k, id, {{name, nullptr}}), 400, name);
  }
  CHECK(fetch(c, k, id) == created);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Per kind: round trip and mandatory attributes
// ---------------------------------------------------------------------------------------------

TEST_CASE("party: individual: create, get, list, patch and delete", "[party][individual]") {
  round_trip(kind("individual"));
}
TEST_CASE("party: individual: a missing givenName or familyName is 400", "[party][individual]") {
  missing_mandatory(kind("individual"));
}
TEST_CASE("party: organization: create, get, list, patch and delete", "[party][organization]") {
  round_trip(kind("organization"));
}
TEST_CASE("party: organization: a missing tradingName is 400", "[party][organization]") {
  missing_mandatory(kind("organization"));
}
TEST_CASE("party: partyRole: create, get, list, patch and delete", "[party][partyRole]") {
  round_trip(kind("partyRole"));
}
TEST_CASE("party: partyRole: a missing name is 400", "[party][partyRole]") {
  missing_mandatory(kind("partyRole"));
}
TEST_CASE("party: customer: create, get, list, patch and delete", "[party][customer]") {
  round_trip(kind("customer"));
}
TEST_CASE("party: customer: a missing name or engagedParty is 400", "[party][customer]") {
  missing_mandatory(kind("customer"));
}
TEST_CASE("party: partyAccount: create, get, list, patch and delete", "[party][account]") {
  round_trip(kind("partyAccount"));
}
TEST_CASE("party: partyAccount: a missing name or relatedParty is 400", "[party][account]") {
  missing_mandatory(kind("partyAccount"));
}
TEST_CASE("party: billingAccount: create, get, list, patch and delete", "[party][account]") {
  round_trip(kind("billingAccount"));
}
TEST_CASE("party: billingAccount: a missing name or relatedParty is 400", "[party][account]") {
  missing_mandatory(kind("billingAccount"));
}
TEST_CASE("party: settlementAccount: create, get, list, patch and delete", "[party][account]") {
  round_trip(kind("settlementAccount"));
}
TEST_CASE("party: settlementAccount: a missing name or relatedParty is 400", "[party][account]") {
  missing_mandatory(kind("settlementAccount"));
}
TEST_CASE("party: financialAccount: create, get, list, patch and delete", "[party][account]") {
  round_trip(kind("financialAccount"));
}
TEST_CASE("party: financialAccount: a missing name is 400", "[party][account]") {
  missing_mandatory(kind("financialAccount"));
}

// ---------------------------------------------------------------------------------------------
// TMF632 rules
// ---------------------------------------------------------------------------------------------

TEST_CASE("party: organization lifecycle: initialized -> validated -> closed, and no way back",
          "[party][organization][lifecycle]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  const auto& k = kind("organization");
  auto o = create(c, k, k.minimal);
  const std::string id = str(o, "id");
  CHECK(str(o, "status") == "initialized");

  CHECK(str(patched(c, k, id, {{"status", "validated"}}), "status") == "validated");
  check_error(patch(c, k, id, {{"status", "initialized"}}), 409);
  CHECK(str(patched(c, k, id, {{"status", "closed"}}), "status") == "closed");

  auto e = check_error(patch(c, k, id, {{"status", "validated"}}), 409, "closed");
  CHECK(str(e, "code") == "INVALID_STATE_TRANSITION");
  check_error(patch(c, k, id, {{"status", "initialized"}}), 409);
  std::string etag;
  CHECK(str(fetch(c, k, id, &etag), "status") == "closed");
  CHECK(etag == "\"3\"");

  // initialized -> closed directly is allowed; an unknown state is not a state.
  auto other = create(c, k, with(k.minimal, {{"tradingName", "Difference Engines"}}));
  check_error(patch(c, k, str(other, "id"), {{"status", "dissolved"}}), 400, "status");
  CHECK(str(patched(c, k, str(other, "id"), {{"status", "closed"}}), "status") == "closed");

  // Each accepted transition was announced as a state change.
  auto rows = read_outbox(tmfd, id);
  CHECK(event_types(rows) == std::vector<std::string>{"OrganizationCreateEvent", "OrganizationStateChangeEvent",
                                                      "OrganizationStateChangeEvent"});
  for (const auto& row : rows) check_outbox_event(row, k, id);
}

TEST_CASE("party: an individual's deathDate cannot be before the birthDate", "[party][individual]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  const auto& k = kind("individual");
  check_error(post(c, k, with(k.minimal, {{"birthDate", "1815-12-10T00:00:00Z"}, {"deathDate", "1815-12-09T23:59:59Z"}})),
              400, "deathDate");
  CHECK(c.get(k.path).header("x-total-count") == "0");

  auto ok = create(c, k, with(k.minimal, {{"birthDate", "1815-12-10T00:00:00Z"}, {"deathDate", "1852-11-27T00:00:00Z"}}));
  const std::string id = str(ok, "id");
  check_error(patch(c, k, id, {{"deathDate", "1800-01-01T00:00:00Z"}}), 400, "deathDate");
  check_error(patch(c, k, id, {{"birthDate", "1900-01-01T00:00:00Z"}}), 400, "deathDate");
  CHECK(fetch(c, k, id) == ok);

  // Born and dead the same instant is not "before".
  create(c, k, with(k.minimal, {{"birthDate", "1900-01-01T00:00:00Z"}, {"deathDate", "1900-01-01T00:00:00Z"}}));
}

// ---------------------------------------------------------------------------------------------
// TMF666 rules
// ---------------------------------------------------------------------------------------------

TEST_CASE("party: accounts: lastModified is set by the server on create and changed on patch",
          "[party][account]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  for (const char* name : {"partyAccount", "billingAccount", "settlementAccount", "financialAccount"}) {
    const auto& k = kind(name);
    INFO(k.collection);
    // A client-sent value is not taken.
    const std::string before = utc_now_ms();
    auto o = create(c, k, with(k.minimal, {{"lastModified", "2001-01-01T00:00:00Z"}}));
    const std::string after = utc_now_ms();
    const std::string created_at = str(o, "lastModified");
    CHECK(created_at >= before);
    CHECK(created_at <= after);
    const std::string id = str(o, "id");

    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto p = patched(c, k, id, k.change);
    const std::string modified_at = str(p, "lastModified");
    CHECK(modified_at > created_at);
    CHECK(modified_at <= utc_now_ms());
    CHECK(str(fetch(c, k, id), "lastModified") == modified_at);

    // A patch of lastModified alone changes nothing: it is the server's.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto r = patch(c, k, id, {{"lastModified", "2030-01-01T00:00:00Z"}});
    REQUIRE(r.status == 200);
    CHECK(r.header("etag") == "\"2\"");
    CHECK(str(as_object(r), "lastModified") == modified_at);

    // A state change is a change too.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto s = patched(c, k, id, {{"state", "active"}});
    CHECK(str(s, "lastModified") > modified_at);
  }
}

TEST_CASE("party: accounts held by a party: accountBalance cannot be patched", "[party][account]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  const auto balance = json::parse(R"([{"balanceType":"deposit","amount":{"unit":"EUR","value":10.5},
                                        "validFor":{"startDateTime":"2024-01-01T00:00:00Z"}}])");
  const auto other_balance = json::parse(R"([{"balanceType":"deposit","amount":{"unit":"EUR","value":99},
                                              "validFor":{"startDateTime":"2024-01-01T00:00:00Z"}}])");
  // TMF666 lists accountBalance in *_Create but not in these kinds' *_Update.
  for (const char* name : {"partyAccount", "billingAccount", "settlementAccount"}) {
    const auto& k = kind(name);
    INFO(k.collection);
    auto with_balance = create(c, k, with(k.minimal, {{"accountBalance", balance}}));
    CHECK(with_balance.at("accountBalance") == balance);
    const std::string id = str(with_balance, "id");
    check_error(patch(c, k, id, {{"accountBalance", other_balance}}), 400, "accountBalance");
    check_error(patch(c, k, id, {{"accountBalance", nullptr}}), 400, "accountBalance");
    check_error(patch(c, k, id, {{"accountBalance", other_balance}, {"description", "x"}}), 400, "accountBalance");
    std::string etag;
    CHECK(fetch(c, k, id, &etag) == with_balance);
    CHECK(etag == "\"1\"");

    auto plain = create(c, k, k.minimal);
    check_error(patch(c, k, str(plain, "id"), {{"accountBalance", balance}}), 400, "accountBalance");
    CHECK(fetch(c, k, str(plain, "id")) == plain);
    CHECK(read_outbox(tmfd).empty());  // no create events for these kinds, and nothing was changed
  }
}

TEST_CASE("party: billing account changes are announced as attribute and state changes only",
          "[party][account][events]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  const auto& k = kind("billingAccount");
  auto o = create(c, k, k.minimal);
  const std::string id = str(o, "id");
  CHECK(read_outbox(tmfd).empty());  // TMF666 defines no BillingAccountCreateEvent

  auto attr = patched(c, k, id, {{"description", "Household bills"}});
  auto state = patched(c, k, id, {{"state", "active"}});
  auto both = patched(c, k, id, {{"state", "suspended"}, {"paymentStatus", "late"}});
  REQUIRE(c.request("DELETE", k.path + "/" + id).status == 204);

  auto rows = read_outbox(tmfd);
  CHECK(event_types(rows) ==
        std::vector<std::string>{"BillingAccountAttributeValueChangeEvent", "BillingAccountStateChangeEvent",
                                 "BillingAccountAttributeValueChangeEvent", "BillingAccountStateChangeEvent"});
  REQUIRE(rows.size() == 4);
  check_outbox_event(rows[0], k, id, &attr);
  check_outbox_event(rows[1], k, id, &state);
  check_outbox_event(rows[2], k, id, &both);
  check_outbox_event(rows[3], k, id, &both);
}

TEST_CASE("party: financial account announces create, changes and delete", "[party][account][events]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  const auto& k = kind("financialAccount");
  auto r = post(c, k, k.minimal, {{"X-Correlation-ID", "fa-1"}});
  REQUIRE(r.status == 201);
  auto o = as_object(r);
  check_spec(o, k);
  const std::string id = str(o, "id");

  auto rows = read_outbox(tmfd);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].event_type == "FinancialAccountCreateEvent");
  CHECK(rows[0].correlation_id == "fa-1");
  check_outbox_event(rows[0], k, id, &o);

  auto state = patched(c, k, id, {{"state", "active"}});
  REQUIRE(c.request("DELETE", k.path + "/" + id).status == 204);
  rows = read_outbox(tmfd);
  CHECK(event_types(rows) == std::vector<std::string>{"FinancialAccountCreateEvent", "FinancialAccountStateChangeEvent",
                                                      "FinancialAccountDeleteEvent"});
  REQUIRE(rows.size() == 3);
  check_outbox_event(rows[1], k, id, &state);
  check_outbox_event(rows[2], k, id, &state);
}

// ---------------------------------------------------------------------------------------------
// TMF669 / TMF629 shapes
// ---------------------------------------------------------------------------------------------

TEST_CASE("party: customer and partyRole refuse an engagedParty that is not an object", "[party][customer][partyRole]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  for (const char* name : {"customer", "partyRole"}) {
    const auto& k = kind(name);
    INFO(k.collection);
    check_error(post(c, k, with(k.minimal, {{"engagedParty", "ind-1"}})), 400, "engagedParty");
    check_error(post(c, k, with(k.minimal, {{"name", 42}})), 400, "name");
    CHECK(c.get(k.path).header("x-total-count") == "0");
  }
  // Both are found by the party they engage.
  const auto& customer = kind("customer");
  create(c, customer, customer.minimal);
  create(c, customer, with(customer.minimal, {{"engagedParty", json::parse(R"({"id":"org-7","@referredType":"Organization"})")}}));
  auto r = c.get(customer.path + "?engagedParty.id=org-7");
  REQUIRE(r.status == 200);
  CHECK(r.header("x-total-count") == "1");
}

// The rule compares instants, not texts: offsets, lower-case 'z' and fractional seconds all count.
TEST_CASE("party: an individual's deathDate before the birthDate is refused whatever the UTC spelling",
          "[party][individual]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  const auto& k = kind("individual");
  check_error(post(c, k, with(k.minimal, {{"birthDate", "2000-01-01T00:00:00+00:00"}, {"deathDate", "1999-01-01T00:00:00+00:00"}})),
              400, "deathDate");
  check_error(post(c, k, with(k.minimal, {{"birthDate", "2000-01-01T00:00:00z"}, {"deathDate", "1999-01-01T00:00:00z"}})),
              400, "deathDate");
  check_error(post(c, k, with(k.minimal, {{"birthDate", "2000-01-01T02:00:00+02:00"}, {"deathDate", "1999-12-31T23:00:00Z"}})),
              400, "deathDate");
  // Half a second after birth is not before it.
  create(c, k, with(k.minimal, {{"birthDate", "2000-01-01T10:00:00Z"}, {"deathDate", "2000-01-01T10:00:00.500Z"}}));
}
