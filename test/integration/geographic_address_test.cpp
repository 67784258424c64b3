// TMF673 Geographic Address as a client meets it, over HTTP against the real tmfd binary: the
// addresses of an address book (read-only, as the spec defines them), their sub-addresses under
// each address, and geographicAddressValidation tasks whose 201 carries the result (success,
// partial, fails) with the valid address and alternates. Bodies are validated against the
// published TMF673 swagger.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
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

const std::string kBase = "/tmf-api/geographicAddressManagement/v4";
const std::string kAddresses = kBase + "/geographicAddress";
const std::string kValidations = kBase + "/geographicAddressValidation";

// Six stored addresses: two neighbours on Downing Street, one on Baker Street sharing no postcode,
// two in Paris sharing a postcode, and one whose sub-addresses carry no ids of their own.
const char* kAddressBook = R"({"geographicAddress":[
  {"id":"a-10","name":"Head office","streetNr":"10","streetName":"Downing","streetType":"Street","city":"London",
   "postcode":"SW1A 2AA","country":"GB","geographicSubAddress":[
     {"id":"s-1","name":"Ground floor","subAddressType":"subunit","levelType":"floor","levelNumber":"0"},
     {"id":"s-2","name":"Flat 1","subAddressType":"subunit","subUnitType":"FLAT","subUnitNumber":"1"},
     {"id":"s-3","name":"Flat 2","subAddressType":"subunit","subUnitType":"FLAT","subUnitNumber":"2"}]},
  {"id":"a-11","streetNr":"11","streetName":"Downing","streetType":"Street","city":"London","postcode":"SW1A 2AB","country":"GB"},
  {"id":"a-221","streetNr":"221B","streetName":"Baker","streetType":"Street","city":"London","postcode":"NW1 6XE","country":"GB"},
  {"id":"p-55","streetNr":"55","streetName":"Rue du Faubourg Saint-Honore","city":"Paris","postcode":"75008","country":"FR"},
  {"id":"p-1","streetNr":"1","streetName":"Avenue des Champs-Elysees","city":"Paris","postcode":"75008","country":"FR"},
  {"id":"m-1","streetNr":"1","streetName":"Main","streetType":"Road","city":"Springfield","postcode":"12345",
   "geographicSubAddress":[{"name":"Unit A","subUnitType":"UNIT"},{"id":"1","name":"Unit B"},{"name":"Unit C"}]}
]})";

struct Fixture {
  std::string book_dir = make_temp_dir();
  TmfdProcess tmfd;
  HttpClient c;
  explicit Fixture(const std::string& extra = {})
      : tmfd(TmfdOptions{.extra_yaml = yaml(book_dir, extra)}), c(tmfd.port()) {}
  ~Fixture() { remove_temp_dir(book_dir); }

  static std::string yaml(const std::string& dir, const std::string& extra) {
    std::ofstream(dir + "/addresses.json") << kAddressBook;
    return "  geographic_address:\n    enabled: true\n    addresses: " + dir + "/addresses.json\n" + extra;
  }
};

json::object stored(HttpClient& c, const std::string& id) {
  return require_object(c.get(kAddresses + "/" + id), 200, "GET address " + id);
}

// POSTs a validation, REQUIREs 201, checks the parts every created task has, returns it.
json::object validate(HttpClient& c, const json::object& submitted, bool alternatives) {
  json::object body{{"submittedGeographicAddress", submitted}, {"provideAlternative", alternatives}};
  auto r = post_json(c, kValidations, body);
  auto task = require_object(r, 201, "POST geographicAddressValidation");
  check_created(r, task, kValidations, "GeographicAddressValidation");
  check_spec(task, kTmf673, "GeographicAddressValidation");
  CHECK(task.at("submittedGeographicAddress") == json::value(submitted));
  CHECK(task.at("provideAlternative") == alternatives);
  CHECK(str(task, "validationDate").size() >= 20);
  // What the POST answered is what is stored.
  CHECK(require_object(c.get(kValidations + "/" + str(task, "id")), 200, "GET validation") == task);
  return task;
}

std::vector<std::string> alternate_ids(const json::object& task) {
  std::vector<std::string> ids;
  if (auto* a = task.if_contains("alternateGeographicAddress"))
    for (const auto& v : a->as_array()) ids.push_back(str(v.as_object(), "id"));
  return ids;
}

} // namespace

TEST_CASE("geographic-address: addresses are served read-only with TMF630 list rules", "[geographic-address]") {
  Fixture f;
  auto& c = f.c;
  auto list = c.get(kAddresses);
  REQUIRE(list.status == 200);
  CHECK(list.header("x-total-count") == "6");
  for (const auto& a : as_array(list)) check_spec(a, kTmf673, "GeographicAddress");

  auto head_office = stored(c, "a-10");
  check_spec(head_office, kTmf673, "GeographicAddress");
  CHECK(str(head_office, "href") == kAddresses + "/a-10");
  CHECK(str(head_office, "@type") == "GeographicAddress");
  CHECK(str(head_office, "streetName") == "Downing");

  // Filters (indexed and not), paging, projection, sort.
  CHECK(total_count(c, kAddresses, "city=London") == 3);
  CHECK(total_count(c, kAddresses, "city=Paris,Springfield") == 3);
  CHECK(total_count(c, kAddresses, "postcode=75008&streetNr=55") == 1);
  CHECK(total_count(c, kAddresses, "geographicSubAddress.subUnitType=FLAT") == 1);
  auto page = c.get(kAddresses + "?city=London&sort=-streetNr&offset=1&limit=1&fields=streetNr");
  REQUIRE(page.status == 200);
  CHECK(page.header("x-total-count") == "3");
  CHECK(page.header("x-result-count") == "1");
  auto only = as_array(page).at(0).as_object();
  CHECK(str(only, "streetNr") == "11");  // strings sort descending: 221B, 11, 10
  CHECK_FALSE(only.contains("city"));
  CHECK(str(require_object(c.get(kAddresses + "/a-11?fields=postcode"), 200, "GET fields"), "postcode") == "SW1A 2AB");

  // The spec defines GET only: writes are not routes, and nothing changed.
  check_error_response(post_json(c, kAddresses, obj(R"({"city":"Nowhere"})")), 405, kTmf673);
  check_error_response(merge_patch(c, kAddresses, "a-10", obj(R"({"city":"Nowhere"})")), 405, kTmf673);
  check_error_response(c.request("DELETE", kAddresses + "/a-10"), 405, kTmf673);
  check_error_response(c.get(kAddresses + "/no-such"), 404, kTmf673, "no-such");
  CHECK(stored(c, "a-10") == head_office);
  CHECK(total_count(c, kAddresses) == 6);
  // TMF673 defines no address events: loading the book wrote none.
  for (const auto& row : read_outbox(f.tmfd)) CHECK(row.domain != "geographicAddress");
}

TEST_CASE("geographic-address: sub-addresses are listed and read under their address", "[geographic-address]") {
  Fixture f;
  auto& c = f.c;
  const std::string subs = kAddresses + "/a-10/geographicSubAddress";
  auto list = c.get(subs);
  REQUIRE(list.status == 200);
  CHECK(list.header("x-total-count") == "3");
  CHECK(list.header("x-result-count") == "3");
  auto all = as_array(list);
  REQUIRE(all.size() == 3);
  for (const auto& s : all) {
    check_spec(s, kTmf673, "GeographicSubAddress");
    CHECK(str(s.as_object(), "href") == subs + "/" + str(s.as_object(), "id"));
  }
  // The address carries the same sub-addresses.
  CHECK(stored(c, "a-10").at("geographicSubAddress") == json::value(all));

  // Paging, projection, equality filters (comma = OR).
  auto page = c.get(subs + "?offset=1&limit=1&fields=name");
  REQUIRE(page.status == 200);
  CHECK(page.header("x-total-count") == "3");
  CHECK(page.header("x-result-count") == "1");
  auto second = as_array(page).at(0).as_object();
  CHECK(str(second, "id") == "s-2");
  CHECK(str(second, "name") == "Flat 1");
  CHECK_FALSE(second.contains("subUnitType"));
  CHECK(second.contains("href"));
  auto flats = c.get(subs + "?subUnitType=FLAT");
  CHECK(flats.header("x-total-count") == "2");
  CHECK(c.get(subs + "?subUnitNumber=2,9&subUnitType=FLAT").header("x-total-count") == "1");
  CHECK(c.get(subs + "?limit=0").header("x-result-count") == "0");
  CHECK(c.get(subs + "?name=" + url_encode("Ground floor")).header("x-total-count") == "1");

  auto one = c.get(subs + "/s-2");
  auto flat = require_object(one, 200, "GET sub-address");
  check_spec(flat, kTmf673, "GeographicSubAddress");
  CHECK(str(flat, "subUnitNumber") == "1");
  auto projected = require_object(c.get(subs + "/s-2?fields=subUnitType"), 200, "GET sub-address fields");
  CHECK(str(projected, "subUnitType") == "FLAT");
  CHECK_FALSE(projected.contains("name"));

  // An address without sub-addresses has an empty list; ids are given where the book had none.
  CHECK(as_array(c.get(kAddresses + "/a-11/geographicSubAddress")).empty());
  auto generated = as_array(c.get(kAddresses + "/m-1/geographicSubAddress"));
  std::set<std::string> ids;
  for (const auto& s : generated) ids.insert(str(s.as_object(), "id"));
  CHECK(ids.size() == 3);
  CHECK(ids.count("1") == 1);
  CHECK(str(require_object(c.get(kAddresses + "/m-1/geographicSubAddress/1"), 200, "GET"), "name") == "Unit B");

  // Unknown address or sub-address: 404; malformed queries: 400; no writes.
  check_error_response(c.get(kAddresses + "/no-such/geographicSubAddress"), 404, kTmf673, "no-such");
  check_error_response(c.get(subs + "/s-9"), 404, kTmf673, "s-9");
  check_error_response(c.get(kAddresses + "/a-11/geographicSubAddress/s-1"), 404, kTmf673, "s-1");
  check_error_response(c.get(subs + "?limit=x"), 400, kTmf673, "limit");
  check_error_response(c.get(subs + "?levelNumber.gt=1"), 400, kTmf673, "levelNumber.gt");
  check_error_response(c.get(subs + "?sort=name"), 400, kTmf673, "sort");
  check_error_response(c.get(subs + "/s-1?limit=1"), 400, kTmf673, "fields");
  check_error_response(post_json(c, subs, obj(R"({"name":"x"})")), 405, kTmf673);
}

TEST_CASE("geographic-address: validation success: a normalised match gives the stored address",
          "[geographic-address]") {
  Fixture f;
  auto& c = f.c;
  // Case, spacing, punctuation, the postcode's space and the street type's abbreviation differ.
  auto task = validate(c, obj(R"({"streetNr":"10","streetName":"  downing ","streetType":"St.","city":"LONDON",
                                  "postcode":"sw1a2aa","country":"gb"})"), true);
  CHECK(str(task, "state") == "done");
  CHECK(str(task, "validationResult") == "success");
  REQUIRE(task.contains("validGeographicAddress"));
  CHECK(task.at("validGeographicAddress") == json::value(stored(c, "a-10")));
  CHECK_FALSE(task.contains("alternateGeographicAddress"));

  // The task reached its final state within the POST: the one event TMF673 defines announces it.
  const std::string id = str(task, "id");
  auto rows = read_outbox(f.tmfd, id);
  REQUIRE(event_types(rows) == std::vector<std::string>{"GeographicAddressValidationStateChangeEvent"});
  const EventSource source{"geographicAddress", "geographicAddressValidation", kTmf673};
  check_outbox_event(rows[0], source, id, &task);

  // A street without a number in a place with one address on it is still that address.
  auto baker = validate(c, obj(R"({"streetName":"Baker","postcode":"NW1 6XE"})"), false);
  CHECK(str(baker, "validationResult") == "success");
  CHECK(str(baker.at("validGeographicAddress").as_object(), "id") == "a-221");
}

TEST_CASE("geographic-address: validation partial proposes the closest stored addresses", "[geographic-address]") {
  Fixture f;
  auto& c = f.c;
  // Same street and city, another number: both neighbours, the nearer number first.
  auto task = validate(c, obj(R"({"streetNr":"12","streetName":"Downing","streetType":"Street","city":"London"})"), true);
  CHECK(str(task, "state") == "done");
  CHECK(str(task, "validationResult") == "partial");
  CHECK_FALSE(task.contains("validGeographicAddress"));
  CHECK(alternate_ids(task) == std::vector<std::string>{"a-11", "a-10"});
  CHECK(task.at("alternateGeographicAddress").as_array().at(0) == json::value(stored(c, "a-11")));

  // Same postcode, unknown street.
  auto by_postcode = validate(c, obj(R"({"streetNr":"3","streetName":"Rue Royale","postcode":"75008"})"), true);
  CHECK(str(by_postcode, "validationResult") == "partial");
  auto ids = alternate_ids(by_postcode);
  CHECK(std::set<std::string>(ids.begin(), ids.end()) == std::set<std::string>{"p-55", "p-1"});

  // Right street and number, wrong postcode: the stored one is proposed with its postcode.
  auto wrong_postcode = validate(c, obj(R"({"streetNr":"10","streetName":"Downing","city":"London","postcode":"SW1A 9ZZ"})"), true);
  CHECK(str(wrong_postcode, "validationResult") == "partial");
  REQUIRE_FALSE(alternate_ids(wrong_postcode).empty());
  CHECK(alternate_ids(wrong_postcode).front() == "a-10");

  // Ambiguous: two stored addresses agree with everything given.
  auto ambiguous = validate(c, obj(R"({"streetName":"Downing","city":"London"})"), true);
  CHECK(str(ambiguous, "validationResult") == "partial");
  CHECK(alternate_ids(ambiguous).size() == 2);

  // Without provideAlternative, none are proposed.
  auto quiet = validate(c, obj(R"({"streetNr":"12","streetName":"Downing","city":"London"})"), false);
  CHECK(str(quiet, "validationResult") == "partial");
  CHECK_FALSE(quiet.contains("alternateGeographicAddress"));

  // Filters on the result and state.
  CHECK(total_count(c, kValidations, "validationResult=partial") == 5);
  CHECK(total_count(c, kValidations, "state=done&validationResult=success") == 0);
}

TEST_CASE("geographic-address: validation fails when nothing is close, with alternates from the same city",
          "[geographic-address]") {
  Fixture f("    max_alternates: 1\n");
  auto& c = f.c;
  auto task = validate(c, obj(R"({"streetNr":"3","streetName":"Nowhere","city":"Paris","postcode":"75001"})"), true);
  CHECK(str(task, "state") == "done");
  CHECK(str(task, "validationResult") == "fails");
  CHECK_FALSE(task.contains("validGeographicAddress"));
  // max_alternates: 1 keeps one of the two Paris addresses.
  REQUIRE(alternate_ids(task).size() == 1);
  CHECK(alternate_ids(task).front().starts_with("p-"));

  auto nowhere = validate(c, obj(R"({"streetName":"Nowhere","city":"Atlantis"})"), true);
  CHECK(str(nowhere, "validationResult") == "fails");
  CHECK(nowhere.at("alternateGeographicAddress").as_array().empty());

  // Partial with the limit too.
  auto limited = validate(c, obj(R"({"streetNr":"12","streetName":"Downing","city":"London"})"), true);
  CHECK(alternate_ids(limited) == std::vector<std::string>{"a-11"});
}

TEST_CASE("geographic-address: what a validation request must hold, and what cannot be validated",
          "[geographic-address]") {
  Fixture f;
  auto& c = f.c;
  // Mandatory and typed attributes of GeographicAddressValidation_Create: 400, nothing stored.
  check_typed_error_response(post_json(c, kValidations, obj(R"({"provideAlternative":true})")), 400, kTmf673,
                             "submittedGeographicAddress");
  check_typed_error_response(post_json(c, kValidations, obj(R"({"submittedGeographicAddress":{"city":"London"}})")),
                             400, kTmf673, "provideAlternative");
  check_typed_error_response(
      post_json(c, kValidations, obj(R"({"submittedGeographicAddress":"10 Downing St","provideAlternative":true})")),
      400, kTmf673, "submittedGeographicAddress");
  check_typed_error_response(
      post_json(c, kValidations, obj(R"({"submittedGeographicAddress":{"city":"London"},"provideAlternative":"yes"})")),
      400, kTmf673, "provideAlternative");
  check_typed_error_response(
      post_json(c, kValidations, obj(R"({"submittedGeographicAddress":{"streetNr":10},"provideAlternative":true})")),
      400, kTmf673, "submittedGeographicAddress.streetNr");
  check_typed_error_response(
      post_json(c, kValidations, obj(R"({"submittedGeographicAddress":{"city":"London"},"provideAlternative":true,"state":"cancelled"})")),
      400, kTmf673, "state");
  CHECK(total_count(c, kValidations) == 0);

  // Well formed but naming no street, locality, city or postcode: the task ends in error.
  auto task = validate(c, obj(R"({"name":"home","country":"GB"})"), true);
  CHECK(str(task, "state") == "terminatedWithError");
  CHECK_FALSE(task.contains("validationResult"));
  CHECK_FALSE(task.contains("alternateGeographicAddress"));
  CHECK(event_types(read_outbox(f.tmfd, str(task, "id"))) ==
        std::vector<std::string>{"GeographicAddressValidationStateChangeEvent"});

  // A client's own result is not taken.
  json::object forged{{"submittedGeographicAddress", obj(R"({"streetName":"Nowhere","city":"Atlantis"})")},
                      {"provideAlternative", false},
                      {"validationResult", "success"},
                      {"state", "accepted"},
                      {"validGeographicAddress", obj(R"({"city":"Atlantis"})")}};
  auto r = post_json(c, kValidations, forged);
  auto answered = require_object(r, 201, "forged POST");
  CHECK(str(answered, "validationResult") == "fails");
  CHECK(str(answered, "state") == "done");
  CHECK_FALSE(answered.contains("validGeographicAddress"));
}

TEST_CASE("geographic-address: a validation is a finished task: its result cannot be patched, nor deleted",
          "[geographic-address]") {
  Fixture f;
  auto& c = f.c;
  auto task = validate(c, obj(R"({"streetNr":"12","streetName":"Downing","city":"London"})"), true);
  const std::string id = str(task, "id");

  for (const char* patch : {R"({"validationResult":"success"})", R"({"provideAlternative":false})",
                            R"({"submittedGeographicAddress":{"city":"Paris"}})", R"({"alternateGeographicAddress":[]})",
                            R"({"validationDate":"2020-01-01T00:00:00Z"})", R"({"validGeographicAddress":{"id":"a-10"}})"}) {
    INFO(patch);
    check_typed_error_response(merge_patch(c, kValidations, id, obj(patch)), 400, kTmf673, "cannot be changed");
  }
  auto err = check_typed_error_response(merge_patch(c, kValidations, id, obj(R"({"state":"inProgress"})")), 409,
                                        kTmf673, "state");
  CHECK(str(err, "code") == "INVALID_STATE_TRANSITION");
  check_typed_error_response(merge_patch(c, kValidations, id, obj(R"({"state":"finished"})")), 400, kTmf673, "state");

  // What the spec leaves open (e.g. @schemaLocation) may change; the spec defines no event for it.
  auto ok = merge_patch(c, kValidations, id, obj(R"({"@schemaLocation":"https://example.com/v.json"})"));
  auto patched = require_object(ok, 200, "PATCH @schemaLocation");
  check_spec(patched, kTmf673, "GeographicAddressValidation");
  CHECK(ok.header("etag") == "\"2\"");
  CHECK(patched.at("alternateGeographicAddress") == task.at("alternateGeographicAddress"));
  CHECK(read_outbox(f.tmfd, id).size() == 1);

  check_error_response(c.request("DELETE", kValidations + "/" + id), 405, kTmf673);
  CHECK(c.get(kValidations + "/" + id).status == 200);
  check_error_response(c.get(kValidations + "/no-such"), 404, kTmf673);
}

TEST_CASE("geographic-address: the address book is loaded once, and a bad one stops start-up",
          "[geographic-address]") {
  {
    Fixture f;
    CHECK(total_count(f.c, kAddresses) == 6);
    // After a restart the stored addresses are kept, not loaded again.
    f.tmfd.restart();
    HttpClient c(f.tmfd.port());
    CHECK(total_count(c, kAddresses) == 6);
  }
  const std::string dir = make_temp_dir();
  const std::string config = dir + "/tmfd.yaml";
  auto start_with = [&](const std::string& book) {
    std::ofstream(dir + "/book.json") << book;
    std::ofstream(config) << TmfdProcess::default_yaml(dir, false)
                          << "modules:\n  geographic_address:\n    enabled: true\n    addresses: " << dir
                          << "/book.json\n";
    std::remove((dir + "/tmfd.db").c_str());
    return run_tmfd("--config " + config);
  };
  auto [code, out] = start_with(R"([{"id":"x","city":7}])");
  CHECK(code == 1);
  CHECK(out.find("geographic_address.addresses") != std::string::npos);
  CHECK(out.find("city") != std::string::npos);
  auto [code2, out2] = start_with(R"([{"id":"x","geographicSubAddress":[{"id":"1"},{"id":"1"}]}])");
  CHECK(code2 == 1);
  CHECK(out2.find("repeats '1'") != std::string::npos);
  auto [code3, out3] = start_with("not json");
  CHECK(code3 == 1);
  CHECK(out3.find("book.json") != std::string::npos);
  remove_temp_dir(dir);
}
