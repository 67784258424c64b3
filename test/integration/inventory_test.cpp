// The inventory module (TMF637 Product, TMF638 Service, TMF639 Resource Inventory v4) as a client
// meets it, over HTTP against the real tmfd binary with the demo catalog and the party module:
// create, get, list with filters, patch and delete for each API; every pair of states against
// the published lifecycles (legal moves answer 200, the others 409); the references that must
// exist (catalog, parties, other inventory items) and the federated ones that are kept; and the
// events through each API's hub. Bodies, errors and events are validated against the swagger files.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "callback_receiver.hpp"
#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "spec_checks.hpp"
#include "test_configs.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const std::string kProducts = "/tmf-api/productInventory/v4/product";
const std::string kServices = "/tmf-api/serviceInventory/v4/service";
const std::string kResources = "/tmf-api/resourceInventoryManagement/v4/resource";

constexpr auto kWait = 30s;  // only a failing test waits that long

// Catalog (with the demo catalog), party and inventory; hub callbacks to the loopback allowed.
TmfdOptions inventory_options() {
  TmfdOptions o;
  o.full_yaml = catalog_yaml("$DIR", false, false, true) +
                "  party:\n    enabled: true\n  inventory:\n    enabled: true\n"
                "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n  backoff_initial_ms: 20\n  backoff_max_ms: 200\n";
  return o;
}

json::object product(const std::string& status) {
  return json::object{{"name", "Fibre 1G at home"},
                      {"status", status},
                      {"productOffering", {{"id", "po-fibre-1g"}}},
                      {"productSpecification", {{"id", "ps-fibre-broadband"}}}};
}

json::object service(const std::string& state) {
  return json::object{{"name", "Internet access"},
                      {"state", state},
                      {"serviceSpecification", {{"id", "ss-internet-access"}}}};
}

json::object resource(const std::string& status) {
  json::object r{{"name", "CPE HGW-6 #1"}, {"resourceSpecification", {{"id", "rs-cpe-router"}}}};
  if (!status.empty()) r["resourceStatus"] = status;
  return r;
}

json::object create(HttpClient& c, const std::string& path, const json::object& body, const char* spec,
                    const char* type) {
  auto r = post_json(c, path, body);
  auto created = require_object(r, 201, "POST " + path);
  check_created(r, created, path, type);
  check_spec(created, spec, type);
  return created;
}

std::string create_individual(HttpClient& c) {
  auto r = post_json(c, kIndividuals, individual("Ada", "Lovelace"));
  REQUIRE(r.status == 201);
  return id_of(r);
}

// The published lifecycles.
const std::vector<std::string> kProductStates = {"created",          "pendingActive", "active",    "suspended",
                                                 "pendingTerminate", "terminated",    "cancelled", "aborted"};
const std::set<std::pair<std::string, std::string>> kProductMoves = {
    {"created", "pendingActive"}, {"created", "active"},          {"pendingActive", "active"},
    {"pendingActive", "aborted"}, {"pendingActive", "cancelled"}, {"active", "suspended"},
    {"suspended", "active"},      {"active", "pendingTerminate"}, {"pendingTerminate", "terminated"},
    {"active", "terminated"}};

const std::vector<std::string> kServiceStates = {"feasibilityChecked", "designed", "reserved",
                                                 "inactive",           "active",   "terminated"};
const std::set<std::pair<std::string, std::string>> kServiceMoves = {
    {"feasibilityChecked", "designed"}, {"feasibilityChecked", "reserved"}, {"feasibilityChecked", "inactive"},
    {"feasibilityChecked", "active"},   {"designed", "reserved"},           {"designed", "inactive"},
    {"designed", "active"},             {"reserved", "designed"},           {"reserved", "inactive"},
    {"reserved", "active"},             {"inactive", "active"},             {"active", "inactive"},
    {"active", "terminated"},           {"terminated", "active"}};

// Creates an item in each state directly (any legal state may be created), and patches it to
// each other state: the legal moves answer 200, the others 409 INVALID_STATE_TRANSITION.
void check_every_move(HttpClient& c, const std::string& path, const std::string& field,
                      const std::vector<std::string>& states, const std::set<std::pair<std::string, std::string>>& legal,
                      json::object (*body)(const std::string&), const char* spec) {
  for (const auto& from : states) {
    for (const auto& to : states) {
      if (from == to) continue;
      auto r = post_json(c, path, body(from));
      REQUIRE(r.status == 201);
      const std::string id = id_of(r);
      auto moved = merge_patch(c, path, id, json::object{{field, to}});
      INFO(field << ": " << from << " -> " << to);
      if (legal.count({from, to})) {
        CHECK(moved.status == 200);
        CHECK(str(as_object(moved), field) == to);
      } else {
        auto err = check_error_response(moved, 409, spec, from);
        CHECK(str(err, "code") == "INVALID_STATE_TRANSITION");
        CHECK(str(as_object(c.get(path + "/" + id)), field) == from);
      }
    }
  }
}

// The ids of the resources a list answers.
std::set<std::string> listed(HttpClient& c, const std::string& path, const std::string& query) {
  auto r = c.get(path + "?" + query);
  REQUIRE(r.status == 200);
  std::set<std::string> ids;
  for (const auto& v : as_array(r)) ids.insert(str(v.as_object(), "id"));
  return ids;
}

} // namespace

TEST_CASE("inventory: products are created, read, filtered, patched and deleted", "[inventory]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  const std::string party = create_individual(c);
  auto body = product("active");
  body["relatedParty"] = json::array{{{"id", party}, {"role", "customer"}, {"@referredType", "Individual"}}};
  body["productOrderItem"] = json::array{{{"productOrderId", "po-42"}, {"orderItemId", "1"}, {"orderItemAction", "add"}}};
  body["productCharacteristic"] = json::array{{{"name", "speed"}, {"value", "1G"}}};
  auto p = create(c, kProducts, body, kTmf637, "Product");
  const std::string id = str(p, "id");
  CHECK(str(p, "status") == "active");
  // A local catalog reference gets the entity's href.
  CHECK(str(p.at("productOffering").as_object(), "href") ==
        "/tmf-api/productCatalogManagement/v4/productOffering/po-fibre-1g");

  auto other = create(c, kProducts, product("created"), kTmf637, "Product");
  auto mobile = product("created");
  mobile["productOffering"] = json::object{{"id", "po-mobile-unlimited"}};
  mobile["productSpecification"] = json::object{{"id", "ps-mobile-plan"}};
  auto third = create(c, kProducts, mobile, kTmf637, "Product");

  auto got = require_object(c.get(kProducts + "/" + id), 200, "GET product");
  CHECK(got == p);
  check_spec(got, kTmf637, "Product");

  CHECK(listed(c, kProducts, "status=active") == std::set<std::string>{id});
  CHECK(listed(c, kProducts, "productOffering.id=po-fibre-1g") == std::set<std::string>{id, str(other, "id")});
  CHECK(listed(c, kProducts, "relatedParty.id=" + party) == std::set<std::string>{id});
  CHECK(listed(c, kProducts, "productOrderItem.productOrderId=po-42") == std::set<std::string>{id});
  CHECK(listed(c, kProducts, "productSpecification.id=ps-mobile-plan") == std::set<std::string>{str(third, "id")});
  for (const auto& v : as_array(c.get(kProducts)))  // every listed body matches the spec
    check_spec(v, kTmf637, "Product");

  auto renamed = merge_patch(c, kProducts, id, json::object{{"name", "Fibre 1G, renamed"}});
  REQUIRE(renamed.status == 200);
  CHECK(str(as_object(renamed), "name") == "Fibre 1G, renamed");
  check_spec(as_object(renamed), kTmf637, "Product");

  // A live product stays in the inventory; once terminated it may go.
  check_error_response(c.request("DELETE", kProducts + "/" + id), 409, kTmf637, "active");
  REQUIRE(merge_patch(c, kProducts, id, json::object{{"status", "terminated"}}).status == 200);
  CHECK(c.request("DELETE", kProducts + "/" + id).status == 204);
  CHECK(c.get(kProducts + "/" + id).status == 404);
}

TEST_CASE("inventory: product status follows the TMF637 lifecycle", "[inventory]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  check_every_move(c, kProducts, "status", kProductStates, kProductMoves, product, kTmf637);

  {  // without a status a product is refused, as Product_Create requires it
    auto r = post_json(c, kProducts, without(product("created"), "status"));
    CHECK(str(check_error_response(r, 400, kTmf637, "status"), "code") == "MISSING_ATTRIBUTE");
  }
  {  // a status outside ProductStatusType is refused
    check_error_response(post_json(c, kProducts, product("running")), 400, kTmf637, "status");
  }
  {  // the published 'aborted ' (with its trailing space) is read as 'aborted'
    auto created = post_json(c, kProducts, product("aborted "));
    REQUIRE(created.status == 201);
    CHECK(str(as_object(created), "status") == "aborted");
    auto pending = post_json(c, kProducts, product("pendingActive"));
    auto moved = merge_patch(c, kProducts, id_of(pending), json::object{{"status", "aborted "}});
    REQUIRE(moved.status == 200);
    CHECK(str(as_object(moved), "status") == "aborted");
  }
}

TEST_CASE("inventory: services are created, read, filtered, patched and deleted", "[inventory]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  auto body = service("active");
  body["serviceOrderItem"] = json::array{{{"serviceOrderId", "so-7"}, {"itemId", "1"}}};
  body["serviceCharacteristic"] = json::array{{{"name", "vlan"}, {"value", 42}}};
  auto s = create(c, kServices, body, kTmf638, "Service");
  const std::string id = str(s, "id");
  auto designed = service("designed");
  designed["serviceSpecification"] = json::object{{"id", "ss-fibre-access"}};
  auto other = create(c, kServices, designed, kTmf638, "Service");

  CHECK(require_object(c.get(kServices + "/" + id), 200, "GET service") == s);
  CHECK(listed(c, kServices, "state=active") == std::set<std::string>{id});
  CHECK(listed(c, kServices, "serviceSpecification.id=ss-fibre-access") == std::set<std::string>{str(other, "id")});
  CHECK(listed(c, kServices, "serviceOrderItem.serviceOrderId=so-7") == std::set<std::string>{id});

  auto patched = merge_patch(c, kServices, id, json::object{{"description", "with a static address"}});
  REQUIRE(patched.status == 200);
  check_spec(as_object(patched), kTmf638, "Service");
  // serviceDate is not part of Service_Update.
  auto dated = service("designed");
  dated["serviceDate"] = "2026-01-01T00:00:00Z";
  auto with_date = create(c, kServices, dated, kTmf638, "Service");
  CHECK(merge_patch(c, kServices, str(with_date, "id"), json::object{{"serviceDate", "2026-02-01T00:00:00Z"}}).status == 400);

  // An active service is terminated before it is retired.
  check_error_response(c.request("DELETE", kServices + "/" + id), 409, kTmf638, "active");
  REQUIRE(merge_patch(c, kServices, id, json::object{{"state", "terminated"}}).status == 200);
  CHECK(c.request("DELETE", kServices + "/" + id).status == 204);
  CHECK(c.request("DELETE", kServices + "/" + str(other, "id")).status == 204);
  CHECK(c.get(kServices + "/" + id).status == 404);
}

TEST_CASE("inventory: service state follows the TMF638 lifecycle", "[inventory]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  check_every_move(c, kServices, "state", kServiceStates, kServiceMoves, service, kTmf638);
  auto r = post_json(c, kServices, without(service("active"), "state"));
  CHECK(str(check_error_response(r, 400, kTmf638, "state"), "code") == "MISSING_ATTRIBUTE");
  r = post_json(c, kServices, without(service("active"), "serviceSpecification"));
  CHECK(str(check_error_response(r, 400, kTmf638, "serviceSpecification"), "code") == "MISSING_ATTRIBUTE");
}

TEST_CASE("inventory: resources are created, read, filtered, patched and deleted", "[inventory]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  auto body = resource("available");
  body["administrativeState"] = "unlocked";
  body["operationalState"] = "enable";
  body["usageState"] = "idle";
  body["resourceCharacteristic"] = json::array{{{"name", "serialNumber"}, {"value", "SN-1"}}};
  body["place"] = json::object{{"id", "site-1"}, {"href", "/tmf-api/geographicSiteManagement/v4/geographicSite/site-1"},
                               {"role", "installation"}};
  auto res = create(c, kResources, body, kTmf639, "Resource");
  const std::string id = str(res, "id");
  auto line = resource("");
  line["resourceSpecification"] = json::object{{"id", "rs-fibre-access-line"}};
  auto other = create(c, kResources, line, kTmf639, "Resource");
  CHECK_FALSE(other.contains("resourceStatus"));  // optional in TMF639: absent stays absent

  CHECK(require_object(c.get(kResources + "/" + id), 200, "GET resource") == res);
  CHECK(listed(c, kResources, "resourceStatus=available") == std::set<std::string>{id});
  CHECK(listed(c, kResources, "resourceSpecification.id=rs-fibre-access-line") == std::set<std::string>{str(other, "id")});
  CHECK(listed(c, kResources, "place.id=site-1&usageState=idle") == std::set<std::string>{id});

  // No published diagram for resourceStatus: any ResourceStatusType value may follow any other.
  for (const char* status : {"reserved", "alarm", "standby", "suspended", "unknown", "available"}) {
    auto moved = merge_patch(c, kResources, id, json::object{{"resourceStatus", status}});
    REQUIRE(moved.status == 200);
    check_spec(as_object(moved), kTmf639, "Resource");
  }
  check_error_response(merge_patch(c, kResources, id, json::object{{"resourceStatus", "broken"}}), 400, kTmf639,
                       "resourceStatus");
  check_error_response(merge_patch(c, kResources, id, json::object{{"administrativeState", "open"}}), 400, kTmf639,
                       "administrativeState");
  check_error_response(merge_patch(c, kResources, id, json::object{{"operationalState", "up"}}), 400, kTmf639,
                       "operationalState");
  check_error_response(merge_patch(c, kResources, id, json::object{{"usageState", "full"}}), 400, kTmf639, "usageState");
  CHECK(merge_patch(c, kResources, id, json::object{{"usageState", "busy"}}).status == 200);
  check_error_response(merge_patch(c, kResources, id, json::object{{"place", {{"id", "site-2"}, {"role", nullptr}}}}), 400, kTmf639,
                       "place.role");
  // Changing the specification by id alone gives the reference the new entity's href.
  auto respec = merge_patch(c, kResources, id, json::object{{"resourceSpecification", {{"id", "rs-sim-card"}}}});
  REQUIRE(respec.status == 200);
  CHECK(str(as_object(respec).at("resourceSpecification").as_object(), "href") ==
        "/tmf-api/resourceCatalog/v4/resourceSpecification/rs-sim-card");
  auto r = post_json(c, kResources, without(resource("available"), "name"));
  CHECK(str(check_error_response(r, 400, kTmf639, "name"), "code") == "MISSING_ATTRIBUTE");

  CHECK(c.request("DELETE", kResources + "/" + id).status == 204);
  CHECK(c.get(kResources + "/" + id).status == 404);
}

TEST_CASE("inventory: references must exist, unless federated", "[inventory]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  auto refused = [&](const std::string& path, const json::object& body, const char* spec, const std::string& attribute) {
    auto r = post_json(c, path, body);
    INFO("POST " << path << " " << json::serialize(body));
    auto err = check_error_response(r, 400, spec, attribute);
    CHECK(str(err, "code") == "INVALID_REFERENCE");
  };
  refused(kProducts, with(product("active"), obj(R"({"productOffering":{"id":"po-nope"}})")), kTmf637, "productOffering");
  refused(kProducts, with(product("active"), obj(R"({"productSpecification":{"id":"ps-nope"}})")), kTmf637,
          "productSpecification");
  refused(kProducts, with(product("active"), obj(R"({"relatedParty":[{"id":"nobody","@referredType":"Individual"}]})")),
          kTmf637, "relatedParty[0]");
  refused(kProducts, with(product("active"), obj(R"({"relatedParty":[{"id":"nobody","@referredType":"Customer"}]})")),
          kTmf637, "relatedParty[0]");
  refused(kProducts, with(product("active"), obj(R"({"billingAccount":{"id":"ba-nope"}})")), kTmf637, "billingAccount");
  refused(kProducts, with(product("active"), obj(R"({"realizingService":[{"id":"svc-nope"}]})")), kTmf637,
          "realizingService[0]");
  refused(kProducts, with(product("active"), obj(R"({"realizingResource":[{"id":"res-nope"}]})")), kTmf637,
          "realizingResource[0]");
  refused(kServices, with(service("active"), obj(R"({"serviceSpecification":{"id":"ss-nope"}})")), kTmf638,
          "serviceSpecification");
  refused(kServices, with(service("active"), obj(R"({"supportingService":[{"id":"svc-nope"}]})")), kTmf638,
          "supportingService[0]");
  refused(kServices, with(service("active"), obj(R"({"supportingResource":[{"id":"res-nope"}]})")), kTmf638,
          "supportingResource[0]");
  refused(kResources, with(resource("available"), obj(R"({"resourceSpecification":{"id":"rs-nope"}})")), kTmf639,
          "resourceSpecification");
  refused(kResources, with(resource("available"), obj(R"({"relatedParty":[{"id":"nobody","@referredType":"Organization"}]})")),
          kTmf639, "relatedParty[0]");

  // The shapes the specs require of references and order items.
  check_error_response(post_json(c, kProducts, with(product("active"), obj(R"({"relatedParty":[{"id":"x"}]})"))), 400,
                       kTmf637, "relatedParty[0].@referredType");
  check_error_response(post_json(c, kProducts, with(product("active"), obj(R"({"productOrderItem":[{"orderItemId":"1"}]})"))),
                       400, kTmf637, "productOrderItem[0].productOrderId");
  check_error_response(post_json(c, kProducts, with(product("active"), obj(R"({"productOffering":{"name":"no id"}})"))),
                       400, kTmf637, "productOffering.id");

  {  // federated references (an href on another server) and parties of unknown types are kept
    auto fed = with(product("active"), obj(R"({
      "productOffering":{"id":"po-elsewhere","href":"https://catalog.example.com/tmf-api/productCatalogManagement/v4/productOffering/po-elsewhere"},
      "relatedParty":[{"id":"p-9","href":"https://crm.example.com/tmf-api/party/v4/individual/p-9","@referredType":"Individual"},
                      {"id":"emp-1","@referredType":"Employee","role":"seller"}],
      "realizingService":[{"id":"s-9","href":"https://oss.example.com/tmf-api/serviceInventory/v4/service/s-9"}]})"));
    create(c, kProducts, fed, kTmf637, "Product");
  }
  {  // existing inventory items are accepted, and stay while something refers to them
    const std::string party = create_individual(c);
    auto res = create(c, kResources, resource("available"), kTmf639, "Resource");
    auto svc = create(c, kServices,
                      with(service("active"), json::object{{"supportingResource", json::array{{{"id", str(res, "id")}}}}}),
                      kTmf638, "Service");
    auto prod = create(c, kProducts,
                       with(product("active"),
                            json::object{{"realizingService", json::array{{{"id", str(svc, "id")}}}},
                                         {"realizingResource", json::array{{{"id", str(res, "id")}}}},
                                         {"relatedParty", json::array{{{"id", party}, {"@referredType", "Individual"}}}}}),
                       kTmf637, "Product");
    REQUIRE(merge_patch(c, kServices, str(svc, "id"), json::object{{"state", "terminated"}}).status == 200);
    CHECK(str(check_error_response(c.request("DELETE", kServices + "/" + str(svc, "id")), 409, kTmf638,
                                   "realizingService"), "code") == "STILL_REFERENCED");
    CHECK(str(check_error_response(c.request("DELETE", kResources + "/" + str(res, "id")), 409, kTmf639,
                                   "realizingResource"), "code") == "STILL_REFERENCED");

    // A patch is checked for what it adds, not for what was there before.
    auto bad = merge_patch(c, kProducts, str(prod, "id"),
                           json::object{{"realizingResource", json::array{{{"id", str(res, "id")}}, {{"id", "res-nope"}}}}});
    check_error_response(bad, 400, kTmf637, "realizingResource[1]");
    CHECK(merge_patch(c, kProducts, str(prod, "id"), json::object{{"status", "suspended"}}).status == 200);

    REQUIRE(merge_patch(c, kProducts, str(prod, "id"), json::object{{"status", "active"}}).status == 200);
    REQUIRE(merge_patch(c, kProducts, str(prod, "id"), json::object{{"status", "terminated"}}).status == 200);
    CHECK(c.request("DELETE", kProducts + "/" + str(prod, "id")).status == 204);
    CHECK(c.request("DELETE", kServices + "/" + str(svc, "id")).status == 204);
    CHECK(c.request("DELETE", kResources + "/" + str(res, "id")).status == 204);
  }
}

TEST_CASE("inventory: a product outlives the offering it was sold from", "[inventory]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  const std::string offerings = "/tmf-api/productCatalogManagement/v4/productOffering";
  auto offering = post_json(c, offerings, json::object{{"name", "Summer promo"}});
  REQUIRE(offering.status == 201);
  const std::string offering_id = id_of(offering);
  auto p = create(c, kProducts, with(product("active"), json::object{{"productOffering", {{"id", offering_id}}}}),
                  kTmf637, "Product");
  REQUIRE(c.request("DELETE", offerings + "/" + offering_id).status == 204);
  // Unchanged references are not checked again: the product still moves and changes.
  CHECK(merge_patch(c, kProducts, str(p, "id"), json::object{{"status", "suspended"}}).status == 200);
  CHECK(merge_patch(c, kProducts, str(p, "id"), json::object{{"name", "Summer promo (legacy)"}}).status == 200);
  // A new reference to it is refused.
  check_error_response(post_json(c, kProducts, with(product("active"), json::object{{"productOffering", {{"id", offering_id}}}})),
                       400, kTmf637, "productOffering");
}

TEST_CASE("inventory: each API's hub receives its create, change, state change and delete events", "[inventory]") {
  CallbackReceiver receiver;
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  struct Api {
    std::string base, path, field, from, to;
    json::object body;
    const char* spec;
    std::string type;
  };
  const std::vector<Api> apis = {
      {"/tmf-api/productInventory/v4", kProducts, "status", "active", "terminated", product("active"), kTmf637, "Product"},
      {"/tmf-api/serviceInventory/v4", kServices, "state", "active", "terminated", service("active"), kTmf638, "Service"},
      {"/tmf-api/resourceInventoryManagement/v4", kResources, "resourceStatus", "available", "reserved",
       resource("available"), kTmf639, "Resource"}};
  for (const auto& api : apis)
    REQUIRE(post_json(c, api.base + "/hub", json::object{{"callback", receiver.url()}}).status == 201);

  std::size_t expected = 0;
  for (const auto& api : apis) {
    auto created = create(c, api.path, api.body, api.spec, api.type.c_str());
    const std::string id = str(created, "id");
    REQUIRE(merge_patch(c, api.path, id, json::object{{"description", "changed"}}).status == 200);
    REQUIRE(merge_patch(c, api.path, id, json::object{{api.field, api.to}}).status == 200);
    REQUIRE(c.request("DELETE", api.path + "/" + id).status == 204);
    expected += 4;
    REQUIRE(receiver.wait_for_count(expected, kWait));
    std::vector<std::string> types;
    for (const auto& r : receiver.accepted()) {
      if (r.resource_id() != id) continue;
      types.push_back(r.event_type());
      CHECK(r.resource_collection() == api.path.substr(api.path.rfind('/') + 1));
      check_spec(r.json(), api.spec, r.event_type());
      if (r.event_type() == api.type + "StateChangeEvent") CHECK(r.resource_attribute(api.field) == api.to);
    }
    CHECK(types == std::vector<std::string>{api.type + "CreateEvent", api.type + "AttributeValueChangeEvent",
                                            api.type + "StateChangeEvent", api.type + "DeleteEvent"});
  }
  CHECK(receiver.accepted().size() == expected);  // each hub got only its own API's events
}

TEST_CASE("inventory: items created earlier in the same unit of work count as existing", "[inventory]") {
  // The stateful test plugin runs a unit of work of any changes (POST /tmf-api/stateful/v1/unitOfWork),
  // as the ordering module's units create inventory. The plugin folder links it beside the shipped modules.
  const std::string plugins = make_temp_dir();
  for (const char* module : {"catalog", "party", "inventory"})
    REQUIRE(std::system(("ln -s " TMFD_PLUGIN_DIR "/tmfd_" + std::string(module) + ".so " + plugins).c_str()) == 0);
  REQUIRE(std::system(("ln -s " TMFD_TEST_PLUGIN_DIR "/tmfd_stateful.so " + plugins).c_str()) == 0);
  TmfdOptions o;
  o.full_yaml = "server:\n  port: 0\nstorage:\n  path: $DIR/tmfd.db\nplugins:\n  directory: " + plugins +
                "\nmodules:\n  catalog:\n    demo_catalog: " TMFD_SOURCE_DIR "/config/demo-catalog.json\n"
                "  party: {}\n  inventory: {}\n  stateful: {}\n";
  TmfdProcess tmfd(o);
  HttpClient c(tmfd.port());
  auto run_unit = [&](const json::array& changes) {
    auto r = post_json(c, "/tmf-api/stateful/v1/unitOfWork", json::object{{"changes", changes}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return as_object(r);
  };
  auto outcome = [](const json::object& unit, std::size_t i) {
    return str(unit.at("outcomes").as_array().at(i).as_object(), "outcome");
  };

  auto res = with(resource("reserved"), json::object{{"id", "res-u1"}});
  auto svc = with(service("active"), obj(R"({"id":"svc-u1","supportingResource":[{"id":"res-u1"}]})"));
  auto prod = with(product("active"),
                   obj(R"({"id":"prod-u1","realizingService":[{"id":"svc-u1"}],"realizingResource":[{"id":"res-u1"}]})"));
  auto unit = run_unit(json::array{{{"op", "create"}, {"path", kResources}, {"body", res}},
                                   {{"op", "create"}, {"path", kServices}, {"body", svc}},
                                   {{"op", "preparedCreate"}, {"path", kProducts}, {"body", prod}}});
  CHECK(unit.at("committed") == true);
  CHECK(outcome(unit, 0) == "created");
  CHECK(outcome(unit, 1) == "created");
  CHECK(outcome(unit, 2) == "created");
  auto stored = require_object(c.get(kProducts + "/prod-u1"), 200, "GET the unit's product");
  check_spec(stored, kTmf637, "Product");

  // A reference to an item the unit did not create, and that does not exist, is refused there too.
  auto missing = with(product("active"), obj(R"({"id":"prod-u2","realizingService":[{"id":"svc-nope"}]})"));
  auto offering = with(product("active"), obj(R"({"id":"prod-u3","productOffering":{"id":"po-nope"}})"));
  unit = run_unit(json::array{{{"op", "create"}, {"path", kProducts}, {"body", missing}},
                              {{"op", "preparedCreate"}, {"path", kProducts}, {"body", offering}}});
  CHECK(outcome(unit, 0) == "invalid");
  CHECK(outcome(unit, 1) == "invalid");
  CHECK(c.get(kProducts + "/prod-u2").status == 404);
  CHECK(c.get(kProducts + "/prod-u3").status == 404);
  remove_temp_dir(plugins);
}
