// TMF666 in full: the bill entities a billing account's bill structure points at (billFormat,
// billPresentationMedia, billingCycleSpecification) served as the spec defines them, and the
// reference integrity between accounts and those entities (and financial accounts): a reference
// to a missing one is 400, deleting one still referred to is 409. Real binary, real sockets,
// bodies validated against the published TMF666 swagger.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "outbox_reader.hpp"
#include "spec_checks.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;

const std::string kBase = "/tmf-api/accountManagement/v4/";

struct BillEntity {
  std::string collection;
  std::string type;
  json::object minimal;  // the mandatory attributes only
  json::object full;     // every attribute the spec defines
};

std::vector<BillEntity> bill_entities() {
  return {
      {"billFormat", "BillFormat", obj(R"({"name":"PDF"})"),
       obj(R"({"name":"Detailed PDF","description":"itemised, A4","@type":"BillFormat"})")},
      {"billPresentationMedia", "BillPresentationMedia", obj(R"({"name":"email"})"),
       obj(R"({"name":"post","description":"printed and mailed"})")},
      {"billingCycleSpecification", "BillingCycleSpecification", obj(R"({"name":"monthly"})"),
       obj(R"({"name":"monthly on the 5th","description":"calendar month","billingDateShift":5,
               "billingPeriod":"month","chargeDateOffset":0,"creditDateOffset":0,"frequency":"monthly",
               "mailingDateOffset":2,"paymentDueDateOffset":20,
               "validFor":{"startDateTime":"2026-01-01T00:00:00Z","endDateTime":"2027-01-01T00:00:00Z"}})")},
  };
}

std::string create_in(HttpClient& c, const std::string& collection, const json::object& body, const std::string& type) {
  auto r = post_json(c, kBase + collection, body);
  auto o = require_object(r, 201, "POST " + collection);
  check_spec(o, kTmf666, type);
  return check_created(r, o, kBase + collection, type);
}

json::object billing_account(const json::object& bill_structure) {
  json::object a = obj(R"({"name":"Ada main","relatedParty":[{"id":"ind-1","name":"Ada Lovelace","role":"owner","@referredType":"Individual"}]})");
  a["billStructure"] = bill_structure;
  return a;
}

// A bill structure pointing at the three entities by reference.
json::object bill_structure(const std::string& format, const std::string& media, const std::string& cycle) {
  json::object s;
  s["format"] = {{"id", format}, {"isRef", true}, {"name", "PDF"}};
  s["presentationMedia"] = json::array{json::object{{"id", media}, {"isRef", true}, {"name", "email"}}};
  s["cycleSpecification"] = {{"id", cycle}, {"isRef", true}, {"name", "monthly"}};
  return s;
}

} // namespace

TEST_CASE("account: billFormat, billPresentationMedia, billingCycleSpecification: create, get, list, patch, delete",
          "[account]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  for (const auto& e : bill_entities()) {
    INFO(e.collection);
    const std::string path = kBase + e.collection;
    CHECK(total_count(c, path) == 0);

    const std::string id = create_in(c, e.collection, e.full, e.type);
    const std::string other = create_in(c, e.collection, e.minimal, e.type);

    auto got = c.get(path + "/" + id);
    auto body = require_object(got, 200, "GET " + e.collection);
    check_spec(body, kTmf666, e.type);
    for (const auto& [k, v] : e.full) CHECK(body.at(k) == v);
    CHECK(got.header("etag") == "\"1\"");

    // List: filter on name, paging with both counts, projection.
    auto list = c.get(path + "?name=" + url_encode(std::string(e.minimal.at("name").as_string())));
    REQUIRE(list.status == 200);
    auto items = as_array(list);
    REQUIRE(items.size() == 1);
    CHECK(str(items[0].as_object(), "id") == other);
    check_spec(items[0], kTmf666, e.type);
    auto page = c.get(path + "?offset=1&limit=1&fields=name");
    REQUIRE(page.status == 200);
    CHECK(page.header("x-total-count") == "2");
    CHECK(page.header("x-result-count") == "1");
    auto projected = as_array(page).at(0).as_object();
    CHECK(projected.contains("name"));
    CHECK_FALSE(projected.contains("description"));

    // Patch: merge patch keeps the rest; removing the mandatory name is refused.
    auto patched = merge_patch(c, path, id, obj(R"({"description":"changed"})"));
    auto p = require_object(patched, 200, "PATCH " + e.collection);
    check_spec(p, kTmf666, e.type);
    CHECK(str(p, "description") == "changed");
    CHECK(p.at("name") == e.full.at("name"));
    CHECK(patched.header("etag") == "\"2\"");
    check_error_response(merge_patch(c, path, id, obj(R"({"name":null})")), 400, kTmf666, "name");

    // Delete, then it is gone.
    CHECK(c.request("DELETE", path + "/" + id).status == 204);
    check_error_response(c.get(path + "/" + id), 404, kTmf666);
    CHECK(total_count(c, path) == 1);

    // The spec defines no events for these entities.
    CHECK(read_outbox(tmfd, id).empty());
    CHECK(read_outbox(tmfd, other).empty());
  }
}

TEST_CASE("account: the bill entities need a name, and typed attributes are checked", "[account]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  for (const auto& e : bill_entities()) {
    INFO(e.collection);
    auto r = post_json(c, kBase + e.collection, obj(R"({"description":"no name"})"));
    auto err = check_typed_error_response(r, 400, kTmf666, "name");
    CHECK(str(err, "code") == "MISSING_ATTRIBUTE");
    check_typed_error_response(post_json(c, kBase + e.collection, obj(R"({"name":""})")), 400, kTmf666, "name");
    check_typed_error_response(post_json(c, kBase + e.collection, obj(R"({"name":7})")), 400, kTmf666, "name");
    CHECK(total_count(c, kBase + e.collection) == 0);
  }
  for (const char* attribute : {"billingDateShift", "chargeDateOffset", "creditDateOffset", "mailingDateOffset",
                                "paymentDueDateOffset"}) {
    json::object body = obj(R"({"name":"monthly"})");
    body[attribute] = "5";
    auto err = check_typed_error_response(post_json(c, kBase + "billingCycleSpecification", body), 400, kTmf666,
                                          attribute);
    CHECK(str(err, "code") == "INVALID_ATTRIBUTE");
  }
  check_typed_error_response(post_json(c, kBase + "billingCycleSpecification", obj(R"({"name":"m","validFor":"always"})")),
                             400, kTmf666, "validFor");
  CHECK(total_count(c, kBase + "billingCycleSpecification") == 0);
}

TEST_CASE("account: a bill structure's references must exist (400 otherwise), on create and on patch", "[account]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  const std::string format = create_in(c, "billFormat", obj(R"({"name":"PDF"})"), "BillFormat");
  const std::string media = create_in(c, "billPresentationMedia", obj(R"({"name":"email"})"), "BillPresentationMedia");
  const std::string cycle =
      create_in(c, "billingCycleSpecification", obj(R"({"name":"monthly"})"), "BillingCycleSpecification");

  for (const char* collection : {"billingAccount", "partyAccount", "settlementAccount"}) {
    INFO(collection);
    const std::string path = kBase + collection;

    // Every reference present: accepted and stored as sent.
    auto ok = post_json(c, path, billing_account(bill_structure(format, media, cycle)));
    auto account = require_object(ok, 201, "POST with existing references");
    CHECK(account.at("billStructure") == json::value(bill_structure(format, media, cycle)));
    const std::string id = str(account, "id");

    // Each missing target is named, and nothing is stored.
    struct Missing {
      json::object structure;
      std::string mention;
    };
    const std::vector<Missing> missing = {
        {bill_structure("no-such-format", media, cycle), "billStructure.format"},
        {bill_structure(format, "no-such-media", cycle), "billStructure.presentationMedia"},
        {bill_structure(format, media, "no-such-cycle"), "billStructure.cycleSpecification"},
    };
    for (const auto& m : missing) {
      INFO(m.mention);
      auto err = check_typed_error_response(post_json(c, path, billing_account(m.structure)), 400, kTmf666, m.mention);
      CHECK(str(err, "code") == "INVALID_REFERENCE");
      CHECK(str(err, "message").find("no-such-") != std::string::npos);
      auto patched = merge_patch(c, path, id, json::object{{"billStructure", m.structure}});
      check_typed_error_response(patched, 400, kTmf666, m.mention);
    }
    CHECK(total_count(c, path) == 1);
    auto unchanged = require_object(c.get(path + "/" + id), 200, "GET after refused patches");
    CHECK(c.get(path + "/" + id).header("etag") == "\"1\"");
    CHECK(unchanged.at("billStructure") == json::value(bill_structure(format, media, cycle)));

    // A reference to a missing financial account is refused the same way.
    auto fa = with(billing_account({}), {{"financialAccount", {{"id", "no-such-fa"}, {"name", "x"}}}});
    fa.erase("billStructure");
    check_typed_error_response(post_json(c, path, fa), 400, kTmf666, "financialAccount");

    // By value (isRef false, no id): nothing to check.
    auto by_value = obj(R"({"format":{"isRef":false,"name":"Large print"},
        "presentationMedia":[{"isRef":false,"name":"braille"}],"cycleSpecification":{"isRef":false,"name":"weekly","frequency":"weekly"}})");
    auto v = post_json(c, path, billing_account(by_value));
    require_object(v, 201, "POST with values");

    // isRef true without an id is neither a reference nor a value.
    auto bad = obj(R"({"format":{"isRef":true,"name":"PDF"}})");
    check_typed_error_response(post_json(c, path, billing_account(bad)), 400, kTmf666, "billStructure.format");
    check_typed_error_response(post_json(c, path, billing_account(obj(R"({"presentationMedia":["email"]})"))), 400,
                               kTmf666, "billStructure.presentationMedia[0]");
  }
}

TEST_CASE("account: a billing account validates against the spec with its bill structure and financial account",
          "[account]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  const std::string format = create_in(c, "billFormat", obj(R"({"name":"PDF"})"), "BillFormat");
  const std::string media = create_in(c, "billPresentationMedia", obj(R"({"name":"email"})"), "BillPresentationMedia");
  const std::string cycle =
      create_in(c, "billingCycleSpecification", obj(R"({"name":"monthly"})"), "BillingCycleSpecification");
  const std::string fa = create_in(c, "financialAccount", obj(R"({"name":"Ada funds"})"), "FinancialAccount");
  auto body = billing_account(bill_structure(format, media, cycle));
  body["financialAccount"] = {{"id", fa}, {"name", "Ada funds"}};
  auto r = post_json(c, kBase + "billingAccount", body);
  auto created = require_object(r, 201, "POST billingAccount");
  check_spec(created, kTmf666, "BillingAccount");
  check_spec(require_object(c.get(kBase + "billingAccount/" + str(created, "id")), 200, "GET"), kTmf666,
             "BillingAccount");
  // Accounts can be found by what they refer to.
  CHECK(total_count(c, kBase + "billingAccount", "billStructure.format.id=" + url_encode(format)) == 1);
  CHECK(total_count(c, kBase + "billingAccount", "billStructure.presentationMedia.id=" + url_encode(media)) == 1);
}

TEST_CASE("account: an entity an account still refers to cannot be deleted (409), and can once unreferenced",
          "[account]") {
  TmfdProcess tmfd;
  HttpClient c(tmfd.port());
  const std::string format = create_in(c, "billFormat", obj(R"({"name":"PDF"})"), "BillFormat");
  const std::string media = create_in(c, "billPresentationMedia", obj(R"({"name":"email"})"), "BillPresentationMedia");
  const std::string cycle =
      create_in(c, "billingCycleSpecification", obj(R"({"name":"monthly"})"), "BillingCycleSpecification");
  const std::string fa = create_in(c, "financialAccount", obj(R"({"name":"Ada funds"})"), "FinancialAccount");
  auto body = billing_account(bill_structure(format, media, cycle));
  body["financialAccount"] = {{"id", fa}};
  const std::string account = id_of(post_json(c, kBase + "settlementAccount", body));

  const std::vector<std::pair<std::string, std::string>> targets = {
      {"billFormat", format}, {"billPresentationMedia", media}, {"billingCycleSpecification", cycle},
      {"financialAccount", fa}};
  for (const auto& [collection, id] : targets) {
    INFO(collection);
    auto err = check_typed_error_response(c.request("DELETE", kBase + collection + "/" + id), 409, kTmf666,
                                          "settlementAccount");
    CHECK(str(err, "code") == "STILL_REFERENCED");
    CHECK(c.get(kBase + collection + "/" + id).status == 200);
  }

  // Once the account lets go, each can go.
  REQUIRE(merge_patch(c, kBase + "settlementAccount", account, obj(R"({"billStructure":null,"financialAccount":null})"))
              .status == 200);
  for (const auto& [collection, id] : targets) {
    INFO(collection);
    CHECK(c.request("DELETE", kBase + collection + "/" + id).status == 204);
  }
  // And an account can no longer be pointed at them.
  check_typed_error_response(post_json(c, kBase + "settlementAccount", body), 400, kTmf666, "does not exist");
}
