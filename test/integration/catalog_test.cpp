// The catalog module as a client meets it, over HTTP against the real tmfd binary: the twelve
// entity kinds of TMF620 (catalog, category, productOffering, productOfferingPrice,
// productSpecification), TMF633 (serviceCatalog, serviceCategory, serviceCandidate,
// serviceSpecification) and TMF634 (resourceCatalog, resourceCategory, resourceCandidate,
// resourceSpecification); their mandatory attributes, the TMF catalog lifecycle, server-set
// lastUpdate and version, reference integrity across the three APIs, bundles, characteristic
// specifications, the events each API defines, and the demo catalog. Bodies are validated against
// the published swagger files when they are present. Import and export jobs are in
// catalog_jobs_test.cpp.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
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
#include "test_configs.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;
using Catch::Matchers::Contains;

const std::string kProduct = "/tmf-api/productCatalogManagement/v4";
const std::string kService = "/tmf-api/serviceCatalogManagement/v4";
const std::string kResource = "/tmf-api/resourceCatalog/v4";

// ---------------------------------------------------------------------------------------------
// The tmfd under test: the catalog module only, optionally with the repository's demo catalog
// ---------------------------------------------------------------------------------------------

TmfdOptions catalog_options(bool demo = false) { return catalog_module_options(false, false, demo); }

// ---------------------------------------------------------------------------------------------
// The kinds under test
// ---------------------------------------------------------------------------------------------

// A kind is the source of its events: EventSource holds its event domain, its collection (also the
// key of the resource inside event payloads) and its spec file.
struct KindInfo : EventSource {
  std::string path;        // collection path
  std::string type;        // @type and spec definition name
  std::vector<std::string> mandatory;
  // Creates what the minimal body refers to (if anything) and returns the minimal body.
  std::function<json::object(HttpClient&)> minimal;
  json::object change;     // a merge patch changing ordinary attributes
  // Event names (empty: the API defines none for that change).
  std::string on_create, on_change, on_state_change, on_delete;
};

json::object post_ok(HttpClient& c, const std::string& path, const json::object& body);

KindInfo product_kind(const std::string& collection, const std::string& type, const char* minimal,
                      const char* change, bool only_create_delete) {
  KindInfo k;
  k.collection = collection;
  k.path = kProduct + "/" + collection;
  k.type = type;
  k.spec_file = kTmf620;
  k.domain = "productCatalog";
  k.mandatory = {"name"};
  json::object m = obj(minimal);
  k.minimal = [m](HttpClient&) { return m; };
  k.change = obj(change);
  k.on_create = type + "CreateEvent";
  k.on_delete = type + "DeleteEvent";
  if (!only_create_delete) {
    k.on_change = type + "AttributeValueChangeEvent";
    k.on_state_change = type + "StateChangeEvent";
  }
  return k;
}

// TMF633 and TMF634 announce every change, lifecycle included, with one <Type>ChangeEvent.
KindInfo change_event_kind(const std::string& base, const std::string& spec_file, const std::string& domain,
                           const std::string& collection, const std::string& type, const char* minimal,
                           const char* change) {
  KindInfo k;
  k.collection = collection;
  k.path = base + "/" + collection;
  k.type = type;
  k.spec_file = spec_file;
  k.domain = domain;
  k.mandatory = {"name"};
  json::object m = obj(minimal);
  k.minimal = [m](HttpClient&) { return m; };
  k.change = obj(change);
  k.on_create = type + "CreateEvent";
  k.on_change = type + "ChangeEvent";
  k.on_state_change = type + "ChangeEvent";
  k.on_delete = type + "DeleteEvent";
  return k;
}

const std::map<std::string, KindInfo>& kinds() {
  static const std::map<std::string, KindInfo> all = [] {
    std::map<std::string, KindInfo> m;
    auto add = [&m](KindInfo k) { m[k.collection] = std::move(k); };
    // TMF620
    add(product_kind("catalog", "Catalog", R"({"name":"Consumer catalog"})",
                     R"({"description":"Everything sold to consumers","catalogType":"consumer"})", true));
    add(product_kind("category", "Category", R"({"name":"Broadband"})",
                     R"({"description":"Fixed access","isRoot":true})", true));
    add(product_kind("productOffering", "ProductOffering", R"({"name":"Fibre 1 Gbps"})",
                     R"({"description":"Fast fibre","isSellable":true,"statusReason":"ready"})", false));
    add(product_kind("productOfferingPrice", "ProductOfferingPrice", R"({"name":"Fibre monthly fee"})",
                     R"({"priceType":"recurring","recurringChargePeriodType":"month","recurringChargePeriodLength":1,
                         "price":{"unit":"EUR","value":39.9}})",
                     false));
    add(product_kind("productSpecification", "ProductSpecification", R"({"name":"Fibre broadband"})",
                     R"({"brand":"tmfd","productNumber":"PS-0001"})", true));
    // TMF633
    add(change_event_kind(kService, kTmf633, "serviceCatalog", "serviceCatalog", "ServiceCatalog",
                          R"({"name":"Service catalog"})", R"({"description":"All services"})"));
    add(change_event_kind(kService, kTmf633, "serviceCatalog", "serviceCategory", "ServiceCategory",
                          R"({"name":"Connectivity"})", R"({"description":"Access services","isRoot":true})"));
    add(change_event_kind(kService, kTmf633, "serviceCatalog", "serviceSpecification", "ServiceSpecification",
                          R"({"name":"Internet access CFS"})", R"({"description":"Best effort","isBundle":false})"));
    KindInfo candidate = change_event_kind(kService, kTmf633, "serviceCatalog", "serviceCandidate", "ServiceCandidate",
                                           R"({"name":"Internet access"})", R"({"description":"Offered to all"})");
    candidate.mandatory = {"name", "serviceSpecification"};
    candidate.minimal = [](HttpClient& c) {
      auto s = post_ok(c, kService + "/serviceSpecification", obj(R"({"name":"Internet access CFS"})"));
      json::object m = obj(R"({"name":"Internet access"})");
      m["serviceSpecification"] = json::object{{"id", s.at("id")}, {"name", "Internet access CFS"}};
      return m;
    };
    add(candidate);
    // TMF634
    add(change_event_kind(kResource, kTmf634, "resourceCatalog", "resourceCatalog", "ResourceCatalog",
                          R"({"name":"Resource catalog"})", R"({"description":"All resources"})"));
    add(change_event_kind(kResource, kTmf634, "resourceCatalog", "resourceCategory", "ResourceCategory",
                          R"({"name":"Equipment"})", R"({"description":"Things in boxes","isRoot":true})"));
    add(change_event_kind(kResource, kTmf634, "resourceCatalog", "resourceCandidate", "ResourceCandidate",
                          R"({"name":"CPE router"})", R"({"description":"Home gateway"})"));
    add(change_event_kind(kResource, kTmf634, "resourceCatalog", "resourceSpecification", "ResourceSpecification",
                          R"({"name":"CPE router"})", R"({"description":"Home gateway","category":"equipment"})"));
    return m;
  }();
  return all;
}

const KindInfo& kind(const std::string& collection) { return kinds().at(collection); }

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

json::object ref_to(const std::string& id, const std::string& name = "x") { return {{"id", id}, {"name", name}}; }

HttpResponse del(HttpClient& c, const std::string& path, const std::string& id, Headers extra = {}) {
  return c.request("DELETE", path + "/" + id, {}, extra);
}

// The kind behind a collection path, for spec validation of what any helper receives.
const KindInfo* kind_at(const std::string& path) {
  for (const auto& [name, k] : kinds())
    if (k.path == path) return &k;
  return nullptr;
}

// Checks a body against the definition of the kind served at `path` (none for other paths).
void check_spec_at(const json::value& body, const std::string& path) {
  if (const KindInfo* k = kind_at(path)) check_spec(body, k->spec_file, k->type);
}

json::object post_ok(HttpClient& c, const std::string& path, const json::object& body) {
  auto o = require_object(post_json(c, path, body), 201, path);
  check_spec_at(o, path);
  return o;
}

json::object get_ok(HttpClient& c, const std::string& path, const std::string& id, std::string* etag = nullptr) {
  auto r = c.get(path + "/" + id);
  auto o = require_object(r, 200, path + "/" + id);
  check_spec_at(o, path);
  if (etag) *etag = r.header("etag");
  return o;
}

json::object patch_ok(HttpClient& c, const std::string& path, const std::string& id, const json::object& body) {
  auto o = require_object(merge_patch(c, path, id, body), 200, path + "/" + id + " " + json::serialize(body));
  check_spec_at(o, path);
  return o;
}

// A TMF error answer with `status` (see check_typed_error_response), checked against TMF620.
json::object check_error(const HttpResponse& r, int status, const std::string& mention = {}) {
  return check_typed_error_response(r, status, kTmf620, mention);
}

void pause_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// ---------------------------------------------------------------------------------------------
// Shared scenarios, run for each kind
// ---------------------------------------------------------------------------------------------

// Create with the mandatory attributes only, read it, find it in the list, change an attribute,
// move it on in its lifecycle, delete it; every body spec-valid, the server-set attributes set,
// and the outbox holding exactly the events the API defines for the kind.
void round_trip(const KindInfo& k) {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const json::object body = k.minimal(c);

  const std::string before = utc_now_ms();
  auto r = post_json(c, k.path, body, {{"X-Correlation-ID", "rt-create"}});
  INFO(k.collection << ": " << r.body);
  REQUIRE(r.status == 201);
  auto created = as_object(r);
  check_spec(created, k.spec_file, k.type);
  const std::string id = check_created(r, created, k.path, k.type);
  for (const auto& kv : body) CHECK(created.at(kv.key()) == kv.value());
  CHECK(str(created, "lifecycleStatus") == "In study");
  CHECK(str(created, "version") == "1.0");
  CHECK(str(created, "lastUpdate") >= before);
  CHECK(str(created, "lastUpdate") <= utc_now_ms());

  std::string etag;
  CHECK(get_ok(c, k.path, id, &etag) == created);
  CHECK(etag == "\"1\"");

  auto all = c.get(k.path);
  REQUIRE(all.status == 200);
  CHECK(all.header("x-total-count") == "1");
  auto items = as_array(all);
  REQUIRE(items.size() == 1);
  CHECK(items[0].as_object() == created);
  check_spec(items[0], k.spec_file, k.type);
  CHECK(total_count(c, k.path, "name=" + url_encode(str(body, "name"))) == 1);
  CHECK(total_count(c, k.path, "name=nothing-like-this") == 0);
  CHECK(total_count(c, k.path, "lifecycleStatus=In%20study") == 1);

  pause_ms(5);
  auto p = merge_patch(c, k.path, id, k.change, {{"X-Correlation-ID", "rt-change"}});
  INFO(p.body);
  REQUIRE(p.status == 200);
  CHECK(p.header("etag") == "\"2\"");
  auto changed = as_object(p);
  check_spec(changed, k.spec_file, k.type);
  for (const auto& kv : k.change) CHECK(changed.at(kv.key()) == kv.value());
  for (const auto& kv : body) CHECK(changed.at(kv.key()) == kv.value());
  CHECK(str(changed, "lastUpdate") > str(created, "lastUpdate"));
  CHECK(str(changed, "version") == "1.0");
  CHECK(get_ok(c, k.path, id) == changed);

  pause_ms(5);
  auto s = merge_patch(c, k.path, id, {{"lifecycleStatus", "In design"}}, {{"X-Correlation-ID", "rt-state"}});
  INFO(s.body);
  REQUIRE(s.status == 200);
  CHECK(s.header("etag") == "\"3\"");
  auto designed = as_object(s);
  check_spec(designed, k.spec_file, k.type);
  CHECK(str(designed, "lifecycleStatus") == "In design");
  CHECK(str(designed, "lastUpdate") > str(changed, "lastUpdate"));

  auto d = del(c, k.path, id, {{"X-Correlation-ID", "rt-delete"}});
  CHECK(d.status == 204);
  CHECK(c.get(k.path + "/" + id).status == 404);
  CHECK(total_count(c, k.path) == 0);

  // Exactly the events the API defines, each carrying the resource as it was then.
  struct Expected {
    std::string type, correlation;
    const json::object* body;
  };
  std::vector<Expected> expected;
  if (!k.on_create.empty()) expected.push_back({k.on_create, "rt-create", &created});
  if (!k.on_change.empty()) expected.push_back({k.on_change, "rt-change", &changed});
  if (!k.on_state_change.empty()) expected.push_back({k.on_state_change, "rt-state", &designed});
  if (!k.on_delete.empty()) expected.push_back({k.on_delete, "rt-delete", &designed});
  std::vector<std::string> expected_types;
  for (const auto& e : expected) expected_types.push_back(e.type);
  auto rows = read_outbox(tmfd, id);
  CHECK(event_types(rows) == expected_types);
  REQUIRE(rows.size() == expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check_outbox_event(rows[i], k, id, expected[i].body);
    CHECK(rows[i].correlation_id == expected[i].correlation);
  }
}

// Each mandatory attribute left out, null or empty is refused with 400 naming it; nothing is
// stored or announced; and it cannot be taken away by a later patch.
void missing_mandatory(const KindInfo& k) {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const json::object body = k.minimal(c);
  const auto events_before = read_outbox(tmfd).size();
  for (const auto& name : k.mandatory) {
    INFO(k.collection << " without " << name);
    auto e = check_error(post_json(c, k.path, without(body, name)), 400, name);
    CHECK(str(e, "code") == "MISSING_ATTRIBUTE");
    check_error(post_json(c, k.path, with(body, {{name, nullptr}})), 400, name);
    if (body.at(name).is_string()) check_error(post_json(c, k.path, with(body, {{name, ""}})), 400, name);
  }
  check_error(post_json(c, k.path, json::object{}), 400);
  // A name of the wrong type is refused too.
  check_error(post_json(c, k.path, with(body, {{"name", 42}})), 400, "name");
  CHECK(total_count(c, k.path) == 0);
  CHECK(read_outbox(tmfd).size() == events_before);

  auto created = post_ok(c, k.path, body);
  const std::string id = str(created, "id");
  for (const auto& name : k.mandatory) {
    INFO(k.collection << " patch removing " << name);
    check_error(merge_patch(c, k.path, id, {{name, nullptr}}), 400, name);
  }
  std::string etag;
  CHECK(get_ok(c, k.path, id, &etag) == created);
  CHECK(etag == "\"1\"");
}

const std::vector<std::string> kLegalPath = {"In design", "In test", "Active", "Launched", "Retired", "Obsolete"};

} // namespace

// ---------------------------------------------------------------------------------------------
// Per kind: round trip and mandatory attributes
// ---------------------------------------------------------------------------------------------

TEST_CASE("catalog: catalog: create, get, list, patch, lifecycle and delete with its events", "[catalog][tmf620]") {
  round_trip(kind("catalog"));
}
TEST_CASE("catalog: catalog: a missing name is 400", "[catalog][tmf620]") { missing_mandatory(kind("catalog")); }
TEST_CASE("catalog: category: create, get, list, patch, lifecycle and delete with its events", "[catalog][tmf620]") {
  round_trip(kind("category"));
}
TEST_CASE("catalog: category: a missing name is 400", "[catalog][tmf620]") { missing_mandatory(kind("category")); }
TEST_CASE("catalog: productOffering: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf620]") {
  round_trip(kind("productOffering"));
}
TEST_CASE("catalog: productOffering: a missing name is 400", "[catalog][tmf620]") {
  missing_mandatory(kind("productOffering"));
}
TEST_CASE("catalog: productOfferingPrice: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf620]") {
  round_trip(kind("productOfferingPrice"));
}
TEST_CASE("catalog: productOfferingPrice: a missing name is 400", "[catalog][tmf620]") {
  missing_mandatory(kind("productOfferingPrice"));
}
TEST_CASE("catalog: productSpecification: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf620]") {
  round_trip(kind("productSpecification"));
}
TEST_CASE("catalog: productSpecification: a missing name is 400", "[catalog][tmf620]") {
  missing_mandatory(kind("productSpecification"));
}
TEST_CASE("catalog: serviceCatalog: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf633]") {
  round_trip(kind("serviceCatalog"));
}
TEST_CASE("catalog: serviceCatalog: a missing name is 400", "[catalog][tmf633]") {
  missing_mandatory(kind("serviceCatalog"));
}
TEST_CASE("catalog: serviceCategory: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf633]") {
  round_trip(kind("serviceCategory"));
}
TEST_CASE("catalog: serviceCategory: a missing name is 400", "[catalog][tmf633]") {
  missing_mandatory(kind("serviceCategory"));
}
TEST_CASE("catalog: serviceCandidate: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf633]") {
  round_trip(kind("serviceCandidate"));
}
TEST_CASE("catalog: serviceCandidate: a missing name or serviceSpecification is 400", "[catalog][tmf633]") {
  missing_mandatory(kind("serviceCandidate"));
}
TEST_CASE("catalog: serviceSpecification: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf633]") {
  round_trip(kind("serviceSpecification"));
}
TEST_CASE("catalog: serviceSpecification: a missing name is 400", "[catalog][tmf633]") {
  missing_mandatory(kind("serviceSpecification"));
}
TEST_CASE("catalog: resourceCatalog: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf634]") {
  round_trip(kind("resourceCatalog"));
}
TEST_CASE("catalog: resourceCatalog: a missing name is 400", "[catalog][tmf634]") {
  missing_mandatory(kind("resourceCatalog"));
}
TEST_CASE("catalog: resourceCategory: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf634]") {
  round_trip(kind("resourceCategory"));
}
TEST_CASE("catalog: resourceCategory: a missing name is 400", "[catalog][tmf634]") {
  missing_mandatory(kind("resourceCategory"));
}
TEST_CASE("catalog: resourceCandidate: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf634]") {
  round_trip(kind("resourceCandidate"));
}
TEST_CASE("catalog: resourceCandidate: a missing name is 400", "[catalog][tmf634]") {
  missing_mandatory(kind("resourceCandidate"));
}
TEST_CASE("catalog: resourceSpecification: create, get, list, patch, lifecycle and delete with its events",
          "[catalog][tmf634]") {
  round_trip(kind("resourceSpecification"));
}
TEST_CASE("catalog: resourceSpecification: a missing name is 400", "[catalog][tmf634]") {
  missing_mandatory(kind("resourceSpecification"));
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

TEST_CASE("catalog: a product offering announces attribute and state changes separately, both for one patch",
          "[catalog][tmf620][events]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const auto& k = kind("productOffering");
  auto o = post_ok(c, k.path, {{"name", "Mobile unlimited"}});
  const std::string id = str(o, "id");
  auto attr = patch_ok(c, k.path, id, {{"description", "No caps"}});
  auto state = patch_ok(c, k.path, id, {{"lifecycleStatus", "In design"}});
  auto both = patch_ok(c, k.path, id, {{"lifecycleStatus", "In test"}, {"statusReason", "trial"}});
  // A patch that changes nothing announces nothing.
  auto same = merge_patch(c, k.path, id, {{"statusReason", "trial"}});
  REQUIRE(same.status == 200);
  CHECK(same.header("etag") == "\"4\"");

  auto rows = read_outbox(tmfd, id);
  CHECK(event_types(rows) ==
        std::vector<std::string>{"ProductOfferingCreateEvent", "ProductOfferingAttributeValueChangeEvent",
                                 "ProductOfferingStateChangeEvent", "ProductOfferingAttributeValueChangeEvent",
                                 "ProductOfferingStateChangeEvent"});
  REQUIRE(rows.size() == 5);
  check_outbox_event(rows[0], k, id, &o);
  check_outbox_event(rows[1], k, id, &attr);
  check_outbox_event(rows[2], k, id, &state);
  check_outbox_event(rows[3], k, id, &both);
  check_outbox_event(rows[4], k, id, &both);
}

TEST_CASE("catalog: product specifications, categories and catalogs announce only creation and deletion",
          "[catalog][tmf620][events]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  for (const char* name : {"productSpecification", "category", "catalog"}) {
    const auto& k = kind(name);
    INFO(k.collection);
    auto o = post_ok(c, k.path, {{"name", std::string("thing ") + name}});
    const std::string id = str(o, "id");
    patch_ok(c, k.path, id, k.change);
    patch_ok(c, k.path, id, {{"lifecycleStatus", "In design"}});
    patch_ok(c, k.path, id, {{"lifecycleStatus", "In test"}, {"description", "changed again"}});
    REQUIRE(del(c, k.path, id).status == 204);
    auto rows = read_outbox(tmfd, id);
    CHECK(event_types(rows) == std::vector<std::string>{k.type + "CreateEvent", k.type + "DeleteEvent"});
    for (const auto& row : rows) check_outbox_event(row, k, id);
  }
}

TEST_CASE("catalog: TMF633 and TMF634 announce lifecycle changes with <Type>ChangeEvent", "[catalog][tmf633][tmf634][events]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  for (const char* name : {"serviceSpecification", "serviceCategory", "serviceCatalog", "resourceSpecification",
                           "resourceCandidate", "resourceCategory", "resourceCatalog"}) {
    const auto& k = kind(name);
    INFO(k.collection);
    auto o = post_ok(c, k.path, {{"name", std::string("thing ") + name}});
    const std::string id = str(o, "id");
    auto s1 = patch_ok(c, k.path, id, {{"lifecycleStatus", "In design"}});
    auto s2 = patch_ok(c, k.path, id, {{"lifecycleStatus", "In test"}, {"description", "both at once"}});
    auto rows = read_outbox(tmfd, id);
    CHECK(event_types(rows) ==
          std::vector<std::string>{k.type + "CreateEvent", k.type + "ChangeEvent", k.type + "ChangeEvent"});
    REQUIRE(rows.size() == 3);
    check_outbox_event(rows[0], k, id, &o);
    check_outbox_event(rows[1], k, id, &s1);
    check_outbox_event(rows[2], k, id, &s2);
  }
  // The candidate too, which needs a specification.
  const auto& k = kind("serviceCandidate");
  auto body = k.minimal(c);
  auto o = post_ok(c, k.path, body);
  auto s = patch_ok(c, k.path, str(o, "id"), {{"lifecycleStatus", "In design"}});
  auto rows = read_outbox(tmfd, str(o, "id"));
  CHECK(event_types(rows) == std::vector<std::string>{"ServiceCandidateCreateEvent", "ServiceCandidateChangeEvent"});
  REQUIRE(rows.size() == 2);
  check_outbox_event(rows[1], k, str(o, "id"), &s);
}

TEST_CASE("catalog: refused requests write neither an entity nor an event", "[catalog][events][errors]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const auto& k = kind("productOffering");
  auto o = post_ok(c, k.path, {{"name", "Kept"}});
  const std::string id = str(o, "id");
  const auto events = read_outbox(tmfd).size();
  check_error(post_json(c, k.path, {{"description", "no name"}}), 400, "name");
  check_error(post_json(c, k.path, {{"name", "x"}, {"productSpecification", ref_to("missing")}}), 400);
  check_error(merge_patch(c, k.path, id, {{"lifecycleStatus", "Launched"}}), 409);
  check_error(merge_patch(c, k.path, id, {{"lifecycleStatus", "Sold out"}}), 400);
  check_error(merge_patch(c, k.path, id, {{"isBundle", true}}), 400);
  CHECK(read_outbox(tmfd).size() == events);
  CHECK(total_count(c, k.path) == 1);
  CHECK(get_ok(c, k.path, id) == o);
}

// ---------------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------------

TEST_CASE("catalog: every kind starts In study and follows In design, In test, Active, Launched, Retired, Obsolete",
          "[catalog][lifecycle]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  for (const auto& [name, k] : kinds()) {
    INFO(k.collection);
    auto o = post_ok(c, k.path, k.minimal(c));
    CHECK(str(o, "lifecycleStatus") == "In study");
    const std::string id = str(o, "id");
    for (const auto& state : kLegalPath) {
      INFO("to " << state);
      CHECK(str(patch_ok(c, k.path, id, {{"lifecycleStatus", state}}), "lifecycleStatus") == state);
    }
    std::string etag;
    CHECK(str(get_ok(c, k.path, id, &etag), "lifecycleStatus") == "Obsolete");
    CHECK(etag == "\"" + std::to_string(kLegalPath.size() + 1) + "\"");
  }
}

TEST_CASE("catalog: the lifecycle events of a product offering price follow each step", "[catalog][lifecycle][events]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const auto& k = kind("productOfferingPrice");
  auto o = post_ok(c, k.path, {{"name", "Fee"}});
  const std::string id = str(o, "id");
  std::vector<json::object> states;
  for (const auto& state : kLegalPath) states.push_back(patch_ok(c, k.path, id, {{"lifecycleStatus", state}}));
  auto rows = read_outbox(tmfd, id);
  REQUIRE(rows.size() == 1 + kLegalPath.size());
  CHECK(rows[0].event_type == "ProductOfferingPriceCreateEvent");
  for (std::size_t i = 0; i < kLegalPath.size(); ++i) {
    CHECK(rows[i + 1].event_type == "ProductOfferingPriceStateChangeEvent");
    check_outbox_event(rows[i + 1], k, id, &states[i]);
  }
}

TEST_CASE("catalog: rework and rejection: back one design step, Rejected, and studied again", "[catalog][lifecycle]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const auto& k = kind("productSpecification");
  auto id = str(post_ok(c, k.path, {{"name", "Idea"}}), "id");
  for (const char* state : {"In design", "In study", "In design", "In test", "In design", "In test", "Rejected",
                            "In study", "Rejected"})
    CHECK(str(patch_ok(c, k.path, id, {{"lifecycleStatus", state}}), "lifecycleStatus") == state);
  // Active may retire without being launched.
  auto other = str(post_ok(c, k.path, {{"name", "Short lived"}}), "id");
  for (const char* state : {"In design", "In test", "Active", "Retired", "Obsolete"})
    CHECK(str(patch_ok(c, k.path, other, {{"lifecycleStatus", state}}), "lifecycleStatus") == state);
}

TEST_CASE("catalog: illegal lifecycle jumps are 409 and change nothing", "[catalog][lifecycle][errors]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  // {path to reach the starting state, refused targets}
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> cases = {
      {{}, {"In test", "Active", "Launched", "Retired", "Obsolete"}},
      {{"In design"}, {"Active", "Launched", "Retired", "Obsolete"}},
      {{"In design", "In test"}, {"In study", "Launched", "Retired", "Obsolete"}},
      {{"In design", "In test", "Active"}, {"In study", "In design", "In test", "Obsolete", "Rejected"}},
      {{"In design", "In test", "Active", "Launched"}, {"In study", "In design", "In test", "Active", "Obsolete",
                                                         "Rejected"}},
      {{"In design", "In test", "Active", "Launched", "Retired"},
       {"In study", "In design", "In test", "Active", "Launched", "Rejected"}},
      {{"In design", "In test", "Active", "Launched", "Retired", "Obsolete"},
       {"In study", "In design", "In test", "Active", "Launched", "Retired", "Rejected"}},
      {{"Rejected"}, {"In design", "In test", "Active", "Launched", "Retired", "Obsolete"}},
  };
  for (const char* name : {"productOffering", "serviceSpecification", "resourceSpecification"}) {
    const auto& k = kind(name);
    for (const auto& [path, refused] : cases) {
      auto o = post_ok(c, k.path, k.minimal(c));
      const std::string id = str(o, "id");
      for (const auto& s : path) patch_ok(c, k.path, id, {{"lifecycleStatus", s}});
      std::string etag_before;
      auto before = get_ok(c, k.path, id, &etag_before);
      const auto events = read_outbox(tmfd, id).size();
      for (const auto& target : refused) {
        INFO(k.collection << ": " << str(before, "lifecycleStatus") << " -> " << target);
        auto e = check_error(merge_patch(c, k.path, id, {{"lifecycleStatus", target}}), 409, target);
        CHECK(str(e, "code") == "INVALID_STATE_TRANSITION");
        CHECK_THAT(str(e, "message"), Contains(str(before, "lifecycleStatus")));
        // Also when other attributes ride along: the whole patch is refused.
        check_error(merge_patch(c, k.path, id, {{"lifecycleStatus", target}, {"description", "sneaked in"}}), 409);
      }
      std::string etag_after;
      CHECK(get_ok(c, k.path, id, &etag_after) == before);
      CHECK(etag_after == etag_before);
      CHECK(read_outbox(tmfd, id).size() == events);
    }
  }
}

TEST_CASE("catalog: an unknown lifecycleStatus is 400, on create and on patch", "[catalog][lifecycle][errors]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  for (const auto& [name, k] : kinds()) {
    INFO(k.collection);
    auto body = k.minimal(c);
    const auto before = total_count(c, k.path);
    for (const char* bad : {"Sold out", "launched", "in study", "Deprecated"}) {
      auto e = check_error(post_json(c, k.path, with(body, {{"lifecycleStatus", bad}})), 400, "lifecycleStatus");
      CHECK_THAT(str(e, "message"), Contains(bad));
    }
    check_error(post_json(c, k.path, with(body, {{"lifecycleStatus", 3}})), 400, "lifecycleStatus");
    CHECK(total_count(c, k.path) == before);
    auto o = post_ok(c, k.path, body);
    check_error(merge_patch(c, k.path, str(o, "id"), {{"lifecycleStatus", "Sold out"}}), 400, "lifecycleStatus");
    check_error(merge_patch(c, k.path, str(o, "id"), {{"lifecycleStatus", nullptr}}), 400, "lifecycleStatus");
    CHECK(get_ok(c, k.path, str(o, "id")) == o);
  }
}

TEST_CASE("catalog: a known lifecycleStatus sent on create is kept", "[catalog][lifecycle]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const auto& k = kind("productOffering");
  auto o = post_ok(c, k.path, {{"name", "Legacy"}, {"lifecycleStatus", "Launched"}});
  CHECK(str(o, "lifecycleStatus") == "Launched");
  CHECK(str(patch_ok(c, k.path, str(o, "id"), {{"lifecycleStatus", "Retired"}}), "lifecycleStatus") == "Retired");
}

// ---------------------------------------------------------------------------------------------
// lastUpdate and version
// ---------------------------------------------------------------------------------------------

TEST_CASE("catalog: lastUpdate is the server's: set on create, changed by each change, never taken from the client",
          "[catalog][lastUpdate]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  for (const auto& [name, k] : kinds()) {
    INFO(k.collection);
    const std::string before = utc_now_ms();
    auto o = post_ok(c, k.path, with(k.minimal(c), {{"lastUpdate", "2001-01-01T00:00:00Z"}}));
    const std::string created_at = str(o, "lastUpdate");
    CHECK(created_at >= before);
    CHECK(created_at <= utc_now_ms());
    const std::string id = str(o, "id");

    pause_ms(5);
    auto p = patch_ok(c, k.path, id, {{"description", "changed"}});
    CHECK(str(p, "lastUpdate") > created_at);
    CHECK(str(p, "lastUpdate") <= utc_now_ms());

    // A patch of lastUpdate alone changes nothing.
    pause_ms(5);
    auto r = merge_patch(c, k.path, id, {{"lastUpdate", "2030-01-01T00:00:00Z"}});
    REQUIRE(r.status == 200);
    CHECK(r.header("etag") == "\"2\"");
    CHECK(str(as_object(r), "lastUpdate") == str(p, "lastUpdate"));

    // Nor can a patch remove it.
    auto n = merge_patch(c, k.path, id, {{"lastUpdate", nullptr}});
    REQUIRE(n.status == 200);
    CHECK(str(as_object(n), "lastUpdate") == str(p, "lastUpdate"));

    // A lifecycle change is a change.
    pause_ms(5);
    auto s = patch_ok(c, k.path, id, {{"lifecycleStatus", "In design"}});
    CHECK(str(s, "lastUpdate") > str(p, "lastUpdate"));
    CHECK(str(get_ok(c, k.path, id), "lastUpdate") == str(s, "lastUpdate"));
  }
}

TEST_CASE("catalog: version defaults to 1.0, a client's version is kept and may be changed", "[catalog][version]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  for (const auto& [name, k] : kinds()) {
    INFO(k.collection);
    auto body = k.minimal(c);
    auto o = post_ok(c, k.path, body);
    CHECK(str(o, "version") == "1.0");
    auto v = post_ok(c, k.path, with(body, {{"version", "2.3"}}));
    CHECK(str(v, "version") == "2.3");
    CHECK(str(patch_ok(c, k.path, str(v, "id"), {{"version", "2.4"}}), "version") == "2.4");
    CHECK(total_count(c, k.path, "version=2.4") == 1);
    check_error(post_json(c, k.path, with(body, {{"version", 2}})), 400, "version");
  }
}

// default_version() says "the server keeps a version on every entity"; a merge patch with
// "version": null must not leave an entity without one.
TEST_CASE("catalog: a patch cannot leave an entity without a version", "[catalog][version]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const auto& k = kind("productOffering");
  auto o = post_ok(c, k.path, {{"name", "Versioned"}});
  auto r = merge_patch(c, k.path, str(o, "id"), {{"version", nullptr}});
  INFO(r.body);
  if (r.status == 200) CHECK(!str(as_object(r), "version").empty());
  else CHECK(r.status == 400);
  CHECK(!str(get_ok(c, k.path, str(o, "id")), "version").empty());
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

TEST_CASE("catalog: an offering referring to a missing product specification is 400 naming it",
          "[catalog][references]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const std::string offerings = kProduct + "/productOffering";
  auto e = check_error(post_json(c, offerings, {{"name", "Orphan"}, {"productSpecification", ref_to("ps-missing")}}),
                       400, "ps-missing");
  CHECK(str(e, "code") == "INVALID_REFERENCE");
  CHECK_THAT(str(e, "message"), Contains("productSpecification"));
  CHECK(total_count(c, offerings) == 0);

  // Prices and categories are checked the same way.
  check_error(post_json(c, offerings, {{"name", "x"}, {"productOfferingPrice", json::array{ref_to("pop-missing")}}}),
              400, "pop-missing");
  check_error(post_json(c, offerings, {{"name", "x"}, {"category", json::array{ref_to("cat-missing")}}}), 400,
              "cat-missing");
  // A reference without an id is no reference.
  check_error(post_json(c, offerings, {{"name", "x"}, {"productSpecification", {{"name", "no id"}}}}), 400,
              "productSpecification");
  CHECK(total_count(c, offerings) == 0);

  // With the specification present it is accepted; patching it to a missing one is refused.
  auto ps = post_ok(c, kProduct + "/productSpecification", {{"name", "Fibre"}});
  auto o = post_ok(c, offerings, {{"name", "Fibre 1G"}, {"productSpecification", ref_to(str(ps, "id"), "Fibre")}});
  check_error(merge_patch(c, offerings, str(o, "id"), {{"productSpecification", ref_to("ps-gone")}}), 400, "ps-gone");
  CHECK(get_ok(c, offerings, str(o, "id")) == o);
  CHECK(total_count(c, offerings, "productSpecification.id=" + str(ps, "id")) == 1);
}

TEST_CASE("catalog: a product specification referring to a missing service or resource specification is 400",
          "[catalog][references]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const std::string specs = kProduct + "/productSpecification";
  auto e =
      check_error(post_json(c, specs, {{"name", "P"}, {"serviceSpecification", json::array{ref_to("ss-missing")}}}),
                  400, "ss-missing");
  CHECK(str(e, "code") == "INVALID_REFERENCE");
  CHECK_THAT(str(e, "message"), Contains("serviceSpecification"));
  e = check_error(post_json(c, specs, {{"name", "P"}, {"resourceSpecification", json::array{ref_to("rs-missing")}}}),
                  400, "rs-missing");
  CHECK_THAT(str(e, "message"), Contains("resourceSpecification"));
  // One good and one missing reference is still refused.
  auto ss = post_ok(c, kService + "/serviceSpecification", {{"name", "CFS"}});
  check_error(
      post_json(c, specs,
                {{"name", "P"}, {"serviceSpecification", json::array{ref_to(str(ss, "id")), ref_to("ss-nope")}}}),
      400, "ss-nope");
  CHECK(total_count(c, specs) == 0);

  auto rs = post_ok(c, kResource + "/resourceSpecification", {{"name", "Router"}});
  auto ok = post_ok(c, specs, {{"name", "P"},
                               {"serviceSpecification", json::array{ref_to(str(ss, "id"))}},
                               {"resourceSpecification", json::array{ref_to(str(rs, "id"))}}});
  check_error(merge_patch(c, specs, str(ok, "id"), {{"resourceSpecification", json::array{ref_to("rs-gone")}}}), 400,
              "rs-gone");
  CHECK(get_ok(c, specs, str(ok, "id")) == ok);
}

TEST_CASE("catalog: a service specification relationship to a missing specification is 400", "[catalog][references]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const std::string specs = kService + "/serviceSpecification";
  json::object rel = ref_to("ss-missing");
  rel["relationshipType"] = "dependency";
  auto e = check_error(post_json(c, specs, {{"name", "CFS"}, {"serviceSpecRelationship", json::array{rel}}}), 400,
                       "ss-missing");
  CHECK(str(e, "code") == "INVALID_REFERENCE");
  CHECK_THAT(str(e, "message"), Contains("serviceSpecRelationship"));
  check_error(post_json(c, specs, {{"name", "CFS"}, {"resourceSpecification", json::array{ref_to("rs-missing")}}}), 400,
              "rs-missing");
  CHECK(total_count(c, specs) == 0);

  auto rfs = post_ok(c, specs, {{"name", "RFS"}});
  rel["id"] = str(rfs, "id");
  auto cfs = post_ok(c, specs, {{"name", "CFS"}, {"serviceSpecRelationship", json::array{rel}}});
  CHECK(total_count(c, specs) == 2);
  // The candidate's specification is checked too.
  const std::string candidates = kService + "/serviceCandidate";
  check_error(post_json(c, candidates, {{"name", "C"}, {"serviceSpecification", ref_to("ss-missing")}}), 400,
              "ss-missing");
  post_ok(c, candidates, {{"name", "C"}, {"serviceSpecification", ref_to(str(cfs, "id"))}});
  // And the resource candidate's.
  check_error(
      post_json(c, kResource + "/resourceCandidate", {{"name", "R"}, {"resourceSpecification", ref_to("rs-missing")}}),
      400, "rs-missing");
}

TEST_CASE("catalog: a referenced resource specification cannot be deleted until the reference is gone",
          "[catalog][references][delete]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const std::string rspecs = kResource + "/resourceSpecification";
  const std::string sspecs = kService + "/serviceSpecification";
  const std::string pspecs = kProduct + "/productSpecification";
  auto rs = post_ok(c, rspecs, {{"name", "Router"}});
  const std::string rid = str(rs, "id");
  auto ss = post_ok(c, sspecs, {{"name", "Access"}, {"resourceSpecification", json::array{ref_to(rid)}}});
  auto ps = post_ok(c, pspecs, {{"name", "Broadband"}, {"resourceSpecification", json::array{ref_to(rid)}}});
  const auto events = read_outbox(tmfd).size();

  auto e = check_error(del(c, rspecs, rid), 409);
  CHECK(str(e, "code") == "STILL_REFERENCED");
  CHECK(get_ok(c, rspecs, rid) == rs);
  CHECK(get_ok(c, sspecs, str(ss, "id")) == ss);
  CHECK(get_ok(c, pspecs, str(ps, "id")) == ps);
  CHECK(read_outbox(tmfd).size() == events);

  // One reference removed: still referenced by the other.
  patch_ok(c, sspecs, str(ss, "id"), {{"resourceSpecification", json::array{}}});
  e = check_error(del(c, rspecs, rid), 409, "productSpecification");
  CHECK(get_ok(c, rspecs, rid) == rs);
  patch_ok(c, pspecs, str(ps, "id"), {{"resourceSpecification", nullptr}});
  CHECK(del(c, rspecs, rid).status == 204);
  CHECK(c.get(rspecs + "/" + rid).status == 404);

  // A resource candidate and a relationship count as references too.
  auto rs2 = post_ok(c, rspecs, {{"name", "SIM"}});
  auto cand = post_ok(c, kResource + "/resourceCandidate", {{"name", "SIM"}, {"resourceSpecification", ref_to(str(rs2, "id"))}});
  check_error(del(c, rspecs, str(rs2, "id")), 409, "resourceCandidate");
  REQUIRE(del(c, kResource + "/resourceCandidate", str(cand, "id")).status == 204);
  CHECK(del(c, rspecs, str(rs2, "id")).status == 204);
}

TEST_CASE("catalog: a referenced product specification cannot be deleted until the reference is gone",
          "[catalog][references][delete]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const std::string pspecs = kProduct + "/productSpecification";
  const std::string offerings = kProduct + "/productOffering";
  auto ps = post_ok(c, pspecs, {{"name", "Mobile plan"}});
  const std::string pid = str(ps, "id");
  auto o = post_ok(c, offerings, {{"name", "Mobile unlimited"}, {"productSpecification", ref_to(pid)}});
  const auto events = read_outbox(tmfd).size();

  auto e = check_error(del(c, pspecs, pid), 409, "productOffering");
  CHECK(str(e, "code") == "STILL_REFERENCED");
  CHECK(get_ok(c, pspecs, pid) == ps);
  CHECK(get_ok(c, offerings, str(o, "id")) == o);
  CHECK(read_outbox(tmfd).size() == events);

  patch_ok(c, offerings, str(o, "id"), {{"productSpecification", nullptr}});
  CHECK(del(c, pspecs, pid).status == 204);
  CHECK(c.get(pspecs + "/" + pid).status == 404);
  auto rows = read_outbox(tmfd, pid);
  REQUIRE(!rows.empty());
  CHECK(rows.back().event_type == "ProductSpecificationDeleteEvent");
}

TEST_CASE("catalog: a referenced product offering price cannot be deleted until the reference is gone",
          "[catalog][references][delete]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const std::string prices = kProduct + "/productOfferingPrice";
  const std::string offerings = kProduct + "/productOffering";
  auto pop = post_ok(c, prices, {{"name", "Monthly"}, {"priceType", "recurring"}});
  const std::string pid = str(pop, "id");
  auto o = post_ok(c, offerings, {{"name", "Fibre"}, {"productOfferingPrice", json::array{ref_to(pid)}}});

  auto e = check_error(del(c, prices, pid), 409, "productOffering");
  CHECK(str(e, "code") == "STILL_REFERENCED");
  CHECK(get_ok(c, prices, pid) == pop);
  CHECK(get_ok(c, offerings, str(o, "id")) == o);

  // Deleting the offering removes the reference.
  REQUIRE(del(c, offerings, str(o, "id")).status == 204);
  CHECK(del(c, prices, pid).status == 204);
  CHECK(total_count(c, prices) == 0);
}

TEST_CASE("catalog: categories: a parentId to a missing category is 400, a parent with children cannot go",
          "[catalog][references][category]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  for (const std::string& path : {kProduct + "/category", kService + "/serviceCategory", kResource + "/resourceCategory"}) {
    INFO(path);
    auto e = check_error(post_json(c, path, {{"name", "Child"}, {"parentId", "cat-missing"}}), 400, "cat-missing");
    CHECK(str(e, "code") == "INVALID_REFERENCE");
    CHECK_THAT(str(e, "message"), Contains("parentId"));
    check_error(post_json(c, path, {{"name", "Child"}, {"parentId", 7}}), 400, "parentId");
    CHECK(total_count(c, path) == 0);

    auto parent = post_ok(c, path, {{"name", "Parent"}, {"isRoot", true}});
    auto child = post_ok(c, path, {{"name", "Child"}, {"parentId", str(parent, "id")}, {"isRoot", false}});
    CHECK(total_count(c, path, "parentId=" + str(parent, "id")) == 1);
    check_error(merge_patch(c, path, str(child, "id"), {{"parentId", "cat-gone"}}), 400, "cat-gone");
    check_error(del(c, path, str(parent, "id")), 409, "parentId");
    CHECK(get_ok(c, path, str(parent, "id")) == parent);
    REQUIRE(del(c, path, str(child, "id")).status == 204);
    CHECK(del(c, path, str(parent, "id")).status == 204);
  }
}

TEST_CASE("catalog: catalogs refer to existing categories only", "[catalog][references]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {kProduct + "/catalog", kProduct + "/category"},
      {kService + "/serviceCatalog", kService + "/serviceCategory"},
      {kResource + "/resourceCatalog", kResource + "/resourceCategory"}};
  for (const auto& [catalogs, categories] : pairs) {
    INFO(catalogs);
    check_error(post_json(c, catalogs, {{"name", "Main"}, {"category", json::array{ref_to("nope")}}}), 400, "nope");
    auto cat = post_ok(c, categories, {{"name", "Top"}});
    auto catalog = post_ok(c, catalogs, {{"name", "Main"}, {"category", json::array{ref_to(str(cat, "id"))}}});
    check_error(del(c, categories, str(cat, "id")), 409);
    REQUIRE(del(c, catalogs, str(catalog, "id")).status == 204);
    CHECK(del(c, categories, str(cat, "id")).status == 204);
  }
}

// ---------------------------------------------------------------------------------------------
// Bundles and characteristic specifications
// ---------------------------------------------------------------------------------------------

TEST_CASE("catalog: a bundle must list existing bundled offerings", "[catalog][bundle]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const std::string offerings = kProduct + "/productOffering";
  auto e =
      check_error(post_json(c, offerings, {{"name", "Bundle"}, {"isBundle", true}}), 400, "bundledProductOffering");
  check_error(
      post_json(c, offerings, {{"name", "Bundle"}, {"isBundle", true}, {"bundledProductOffering", json::array{}}}), 400,
      "bundledProductOffering");
  e = check_error(
      post_json(
          c, offerings,
          {{"name", "Bundle"}, {"isBundle", true}, {"bundledProductOffering", json::array{ref_to("po-missing")}}}),
      400, "po-missing");
  CHECK(str(e, "code") == "INVALID_REFERENCE");
  CHECK(total_count(c, offerings) == 0);

  auto fibre = post_ok(c, offerings, {{"name", "Fibre"}});
  auto mobile = post_ok(c, offerings, {{"name", "Mobile"}});
  // One existing and one missing member is still refused.
  check_error(post_json(c, offerings,
                        {{"name", "Bundle"},
                         {"isBundle", true},
                         {"bundledProductOffering", json::array{ref_to(str(fibre, "id")), ref_to("po-missing")}}}),
              400, "po-missing");
  auto bundle = post_ok(c, offerings, {{"name", "Home bundle"}, {"isBundle", true},
                                       {"bundledProductOffering",
                                        json::array{ref_to(str(fibre, "id")), ref_to(str(mobile, "id"))}}});
  CHECK(bundle.at("bundledProductOffering").as_array().size() == 2);
  CHECK(total_count(c, offerings) == 3);
  // Emptying the bundle, or making a plain offering a bundle without members, is refused.
  check_error(merge_patch(c, offerings, str(bundle, "id"), {{"bundledProductOffering", json::array{}}}), 400,
              "bundledProductOffering");
  check_error(merge_patch(c, offerings, str(fibre, "id"), {{"isBundle", true}}), 400, "bundledProductOffering");
  // A bundled offering cannot be deleted while the bundle holds it.
  check_error(del(c, offerings, str(mobile, "id")), 409, "bundledProductOffering");
  CHECK(get_ok(c, offerings, str(bundle, "id")) == bundle);
  // isBundle false needs no members.
  post_ok(c, offerings, {{"name", "Single"}, {"isBundle", false}});
}

TEST_CASE("catalog: characteristic specifications need a name and min <= max cardinality", "[catalog][characteristics]") {
  TmfdProcess tmfd(catalog_options());
  HttpClient c(tmfd.port());
  const std::vector<std::pair<std::string, std::string>> holders = {
      {kProduct + "/productSpecification", "productSpecCharacteristic"},
      {kService + "/serviceSpecification", "specCharacteristic"},
      {kResource + "/resourceSpecification", "resourceSpecCharacteristic"}};
  auto chars = [](const char* text) { return json::parse(text); };
  for (const auto& [path, attr] : holders) {
    INFO(path << " " << attr);
    auto e = check_error(
        post_json(c, path,
                  {{"name", "S"}, {attr, chars(R"([{"name":"speed","minCardinality":2,"maxCardinality":1}])")}}),
        400, attr + "[0]");
    CHECK_THAT(str(e, "message"), Contains("minCardinality"));
    check_error(
        post_json(c, path,
                  {{"name", "S"}, {attr, chars(R"([{"valueType":"string","minCardinality":0,"maxCardinality":1}])")}}),
        400, attr + "[0].name");
    check_error(post_json(c, path, {{"name", "S"}, {attr, chars(R"([{"name":"ok"},{"name":""}])")}}), 400,
                attr + "[1].name");
    check_error(post_json(c, path, {{"name", "S"}, {attr, chars(R"([{"name":"n","minCardinality":-1}])")}}), 400,
                "minCardinality");
    check_error(post_json(c, path, {{"name", "S"}, {attr, chars(R"([{"name":"n","maxCardinality":"1"}])")}}), 400,
                "maxCardinality");
    check_error(post_json(c, path, {{"name", "S"}, {attr, chars(R"(["speed"])")}}), 400, attr + "[0]");
    check_error(post_json(c, path, {{"name", "S"}, {attr, chars(R"({"name":"speed"})")}}), 400, attr);
    CHECK(total_count(c, path) == 0);

    // min == max, a min without a max, and a max alone are fine.
    auto ok = post_ok(c, path, {{"name", "S"},
                                {attr, chars(R"([{"name":"a","minCardinality":1,"maxCardinality":1},
                                                 {"name":"b","minCardinality":3},
                                                 {"name":"c","maxCardinality":0}])")}});
    // A patch cannot break them either.
    check_error(
        merge_patch(c, path, str(ok, "id"), {{attr, chars(R"([{"name":"a","minCardinality":5,"maxCardinality":4}])")}}),
        400, "minCardinality");
    check_error(merge_patch(c, path, str(ok, "id"), {{attr, chars(R"([{"minCardinality":0}])")}}), 400, "name");
    CHECK(get_ok(c, path, str(ok, "id")) == ok);
  }
}

// ---------------------------------------------------------------------------------------------
// The demo catalog
// ---------------------------------------------------------------------------------------------

namespace {

// Every entity of the three catalogs, by collection path, read over HTTP and checked against the
// spec on the way.
std::map<std::string, std::vector<json::object>> everything(HttpClient& c) {
  std::map<std::string, std::vector<json::object>> out;
  for (const auto& [name, k] : kinds()) {
    auto r = c.get(k.path + "?limit=1000");
    INFO(k.path << ": " << r.body);
    REQUIRE(r.status == 200);
    auto& list = out[k.path];
    for (const auto& item : as_array(r)) {
      check_spec(item, k.spec_file, k.type);
      list.push_back(item.as_object());
    }
  }
  return out;
}

} // namespace

TEST_CASE("catalog: the demo catalog is loaded at start when configured", "[catalog][demo]") {
  TmfdProcess tmfd(catalog_options(true));
  HttpClient c(tmfd.port());
  const std::string offerings = kProduct + "/productOffering";
  auto all = everything(c);
  CHECK(all[offerings].size() == 4);
  CHECK(all[kProduct + "/productSpecification"].size() == 3);
  CHECK(all[kProduct + "/productOfferingPrice"].size() == 4);
  CHECK(all[kProduct + "/category"].size() == 3);
  CHECK(all[kProduct + "/catalog"].size() == 1);
  CHECK(all[kService + "/serviceSpecification"].size() == 5);
  CHECK(all[kResource + "/resourceSpecification"].size() == 5);
  CHECK(all[kService + "/serviceCandidate"].size() == 1);
  CHECK(all[kResource + "/resourceCandidate"].size() == 1);
  for (const auto& o : all[offerings]) CHECK(str(o, "lifecycleStatus") == "Launched");

  auto bundle = get_ok(c, offerings, "po-home-bundle");
  CHECK(bundle.at("isBundle") == true);
  REQUIRE(bundle.at("bundledProductOffering").is_array());
  const auto& members = bundle.at("bundledProductOffering").as_array();
  REQUIRE(members.size() == 2);
  for (const auto& m : members) CHECK(c.get(offerings + "/" + str(m.as_object(), "id")).status == 200);
  CHECK(total_count(c, offerings, "isBundle=true") == 1);

  // Filtering on lifecycle and name together.
  auto r = c.get(offerings + "?lifecycleStatus=Launched&name=" + url_encode("Fibre 1 Gbps"));
  REQUIRE(r.status == 200);
  auto found = as_array(r);
  REQUIRE(found.size() == 1);
  CHECK(str(found[0].as_object(), "id") == "po-fibre-1g");
  CHECK(total_count(c, offerings, "lifecycleStatus=Launched&name=" + url_encode("Mobile unlimited")) == 1);
  CHECK(total_count(c, offerings, "lifecycleStatus=Retired&name=" + url_encode("Fibre 1 Gbps")) == 0);
  CHECK(total_count(c, offerings, "lifecycleStatus=Launched") == 4);

  // Its references hold: what the demo refers to cannot be deleted.
  check_error(del(c, kProduct + "/productSpecification", "ps-fibre-broadband"), 409);
  check_error(del(c, kResource + "/resourceSpecification", "rs-cpe-router"), 409);
  // Every demo entity was announced.
  auto rows = read_outbox(tmfd);
  std::size_t total = 0;
  for (const auto& [path, list] : all) total += list.size();
  CHECK(rows.size() == total);
  for (const auto& row : rows) CHECK_THAT(row.event_type, Catch::Matchers::EndsWith("CreateEvent"));
}

TEST_CASE("catalog: the demo catalog is not loaded twice across a restart", "[catalog][demo][restart]") {
  TmfdProcess tmfd(catalog_options(true));
  std::map<std::string, std::vector<json::object>> first;
  std::string added;
  {
    HttpClient c(tmfd.port());
    first = everything(c);
    // An operator change survives the restart and the demo does not overwrite it.
    patch_ok(c, kProduct + "/productOffering", "po-static-ip-addon", {{"lifecycleStatus", "Retired"}});
    added = str(post_ok(c, kProduct + "/productOffering", {{"name", "Operator offering"}}), "id");
  }
  const auto events = read_outbox(tmfd).size();
  tmfd.restart();
  HttpClient c(tmfd.port());
  auto second = everything(c);
  for (const auto& [path, list] : first) {
    INFO(path);
    CHECK(second[path].size() == list.size() + (path == kProduct + "/productOffering" ? 1 : 0));
  }
  CHECK(total_count(c, kProduct + "/productOffering") == 5);
  CHECK(str(get_ok(c, kProduct + "/productOffering", "po-static-ip-addon"), "lifecycleStatus") == "Retired");
  CHECK(c.get(kProduct + "/productOffering/" + added).status == 200);
  CHECK(read_outbox(tmfd).size() == events);
  CHECK_THAT(tmfd.log_text(), !Contains("was refused"));
}

// The demo is skipped when any productOffering exists. With every offering deleted but the rest
// of the demo still there, the product catalog is not empty, and a restart must still start.
TEST_CASE("catalog: a restart after the demo offerings were deleted still starts", "[catalog][demo][restart]") {
  TmfdProcess tmfd(catalog_options(true));
  {
    HttpClient c(tmfd.port());
    // Categories and offerings refer to each other: the categories let go first.
    for (const char* id : {"cat-broadband", "cat-mobile", "cat-addons"})
      patch_ok(c, kProduct + "/category", id, {{"productOffering", json::array{}}});
    for (const char* id : {"po-home-bundle", "po-fibre-1g", "po-mobile-unlimited", "po-static-ip-addon"})
      REQUIRE(del(c, kProduct + "/productOffering", id).status == 204);
    REQUIRE(total_count(c, kProduct + "/productOffering") == 0);
  }
  std::string error;
  try {
    tmfd.restart();
  } catch (const std::exception& e) {
    error = e.what();
  }
  INFO(error);
  REQUIRE(error.empty());
  HttpClient c(tmfd.port());
  CHECK(total_count(c, kProduct + "/productSpecification") == 3);
}

TEST_CASE("catalog: without demo_catalog the catalogs start empty", "[catalog][demo]") {
  TmfdProcess tmfd(catalog_options(false));
  HttpClient c(tmfd.port());
  for (const auto& [path, list] : everything(c)) {
    INFO(path);
    CHECK(list.empty());
  }
}
