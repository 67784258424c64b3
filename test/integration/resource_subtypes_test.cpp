// TMF639's /physicalResource and /logicalResource: the subclasses of Resource served at paths of
// their own (ResourceKind::subtypes), over HTTP against the real binary. Each path sees only its
// @type, creates resources of it, and refuses to change it; /resource sees them all; a physical
// resource's changes are announced with the PhysicalResource events besides the Resource ones,
// each valid against the swagger file.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "outbox_reader.hpp"
#include "spec_checks.hpp"
#include "test_configs.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;

const std::string kBase = "/tmf-api/resourceInventoryManagement/v4";
const std::string kResources = kBase + "/resource";
const std::string kPhysical = kBase + "/physicalResource";
const std::string kLogical = kBase + "/logicalResource";

TmfdOptions inventory_options() {
  TmfdOptions o;
  o.full_yaml = catalog_yaml("$DIR", false, false, true) + "  party:\n    enabled: true\n  inventory:\n    enabled: true\n";
  return o;
}

json::object created(HttpClient& c, const std::string& path, const json::object& body, const char* type) {
  auto r = post_json(c, path, body);
  auto object = require_object(r, 201, "POST " + path);
  check_created(r, object, path, type);
  check_spec(object, kTmf639, type);
  return object;
}

std::set<std::string> ids_at(HttpClient& c, const std::string& path) {
  std::set<std::string> ids;
  for (const auto& v : as_array(c.get(path))) ids.insert(str(v.as_object(), "id"));
  return ids;
}

} // namespace

TEST_CASE("physical and logical resources are served at their own paths, and at /resource", "[inventory][subtypes]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  const auto router = created(c, kPhysical,
                              json::object{{"name", "CPE HGW-6 #7"}, {"serialNumber", "SN-7"}, {"powerState", "on"},
                                           {"resourceSpecification", {{"id", "rs-cpe-router"}}}},
                              "PhysicalResource");
  CHECK(str(router, "@type") == "PhysicalResource");
  CHECK(str(router, "href") == kPhysical + "/" + str(router, "id"));
  // LogicalResource_Create requires nothing, not even a name.
  const auto address = created(c, kLogical, json::object{{"value", "198.51.100.7"}}, "LogicalResource");
  CHECK(str(address, "href") == kLogical + "/" + str(address, "id"));
  // A PhysicalResource posted at /resource is one too, and named by its own path.
  auto posted = post_json(c, kResources, json::object{{"name", "SIM #1"}, {"@type", "PhysicalResource"}});
  const auto sim = require_object(posted, 201, "POST /resource");
  check_spec(sim, kTmf639, "PhysicalResource");
  CHECK(str(sim, "href") == kPhysical + "/" + str(sim, "id"));
  CHECK(posted.header("location") == kPhysical + "/" + str(sim, "id"));
  const auto plain = created(c, kResources, json::object{{"name", "line 1"}}, "Resource");

  CHECK(ids_at(c, kPhysical) == std::set<std::string>{str(router, "id"), str(sim, "id")});
  CHECK(ids_at(c, kLogical) == std::set<std::string>{str(address, "id")});
  CHECK(ids_at(c, kResources).size() == 4);
  CHECK(ids_at(c, kPhysical + "?serialNumber=SN-7") == std::set<std::string>{str(router, "id")});
  CHECK(require_object(c.get(kPhysical + "/" + str(router, "id")), 200, "GET") == router);
  CHECK(require_object(c.get(kResources + "/" + str(router, "id")), 200, "GET") == router);

  // Another type's resource does not exist at a subtype's path: read, change or delete.
  check_error_response(c.get(kPhysical + "/" + str(address, "id")), 404, kTmf639);
  check_error_response(c.get(kLogical + "/" + str(plain, "id")), 404, kTmf639);
  check_error_response(merge_patch(c, kPhysical, str(address, "id"), json::object{{"description", "x"}}), 404, kTmf639);
  check_error_response(c.request("DELETE", kLogical + "/" + str(router, "id")), 404, kTmf639);

  // Its @type is the path's: another is refused on create, and a change of it at the path too.
  check_error_response(post_json(c, kPhysical, json::object{{"name", "x"}, {"@type", "LogicalResource"}}), 400, kTmf639, "@type");
  check_error_response(post_json(c, kPhysical, json::object{{"serialNumber", "no name"}}), 400, kTmf639, "name");
  check_error_response(merge_patch(c, kPhysical, str(router, "id"), json::object{{"@type", "Resource"}}), 400, kTmf639, "@type");
  auto json_patch = c.request("PATCH", kPhysical + "/" + str(router, "id"),
                              R"([{"op":"replace","path":"/@type","value":"LogicalResource"}])",
                              {{"Content-Type", "application/json-patch+json"}});
  check_error_response(json_patch, 400, kTmf639, "@type");
  CHECK(str(require_object(c.get(kPhysical + "/" + str(router, "id")), 200, "GET"), "@type") == "PhysicalResource");
  // Types of the subclasses' own attributes are checked.
  check_error_response(merge_patch(c, kPhysical, str(router, "id"), json::object{{"serialNumber", 7}}), 400, kTmf639, "serialNumber");

  auto changed = merge_patch(c, kPhysical, str(router, "id"), json::object{{"powerState", "off"}});
  REQUIRE(changed.status == 200);
  check_spec(as_object(changed), kTmf639, "PhysicalResource");
  CHECK(c.request("DELETE", kLogical + "/" + str(address, "id")).status == 204);
  CHECK(c.get(kResources + "/" + str(address, "id")).status == 404);
}

TEST_CASE("the subtypes' paths are in the API's description and in the index", "[inventory][subtypes][openapi]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  const auto doc = require_object(c.get(kBase + "/openapi.json"), 200, "GET openapi.json");
  const auto& paths = doc.at("paths").as_object();
  for (const char* path : {"/resource", "/resource/{id}", "/physicalResource", "/physicalResource/{id}", "/logicalResource",
                           "/logicalResource/{id}"}) {
    INFO(path);
    CHECK(paths.contains(path));
  }
  CHECK(str(paths.at("/physicalResource").at("post").as_object(), "operationId") == "createPhysicalResource");
  bool listed = false;
  const auto index = require_object(c.get("/"), 200, "GET /");
  for (const auto& api : index.at("apis").as_array())
    if (str(api.as_object(), "basePath") == kBase) {
      std::set<std::string> collections;
      for (const auto& name : api.at("collections").as_array()) collections.insert(std::string(name.as_string()));
      listed = collections == std::set<std::string>{"logicalResource", "physicalResource", "resource"};
    }
  CHECK(listed);
}

TEST_CASE("a physical resource's changes are announced as Resource and as PhysicalResource events", "[inventory][subtypes]") {
  TmfdProcess tmfd(inventory_options());
  HttpClient c(tmfd.port());
  const auto router = created(c, kPhysical, json::object{{"name", "CPE HGW-6 #8"}}, "PhysicalResource");
  const std::string id = str(router, "id");
  REQUIRE(merge_patch(c, kPhysical, id, json::object{{"serialNumber", "SN-8"}}).status == 200);
  REQUIRE(merge_patch(c, kResources, id, json::object{{"resourceStatus", "available"}}).status == 200);
  REQUIRE(c.request("DELETE", kPhysical + "/" + id).status == 204);
  // A logical resource has no events of its own in TMF639: only the Resource ones.
  const auto address = created(c, kLogical, json::object{{"value", "198.51.100.8"}}, "LogicalResource");
  REQUIRE(merge_patch(c, kLogical, str(address, "id"), json::object{{"value", "198.51.100.9"}}).status == 200);

  const auto rows = read_outbox(tmfd, id);
  CHECK(event_types(rows) == std::vector<std::string>{
                                 "ResourceCreateEvent", "PhysicalResourceCreateEvent",
                                 "ResourceAttributeValueChangeEvent", "PhysicalResourceAttributeValueChangeEvent",
                                 "ResourceStateChangeEvent", "PhysicalResourceStateChangeEvent",
                                 "ResourceDeleteEvent", "PhysicalResourceDeleteEvent"});
  for (const auto& row : rows) {
    const bool physical = row.event_type.starts_with("Physical");
    check_outbox_event(row, EventSource{"resourceInventory", physical ? "physicalResource" : "resource", kTmf639}, id);
  }
  CHECK(event_types(read_outbox(tmfd, str(address, "id"))) ==
        std::vector<std::string>{"ResourceCreateEvent", "ResourceAttributeValueChangeEvent"});
}
