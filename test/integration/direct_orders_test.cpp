// Service orders (TMF641) and resource orders (TMF652) posted directly, without a product order,
// against the real binary: checked on POST (400 and 422 TMF errors, nothing written), then
// fulfilled like the children of a product order: a service order's items decompose through the
// catalog (CFS -> the RFS it depends on -> resource specifications), their plans run, services and
// resources are created, modified or terminated in inventory, and the order rolls up to
// completed; a resource order runs its resource plans into resource inventory. Manual steps,
// information required, milestones and cancellation follow the order posted. Bodies and hub
// events are validated against the published specs.
#include <catch2/catch.hpp>

#include <set>

#include "callback_receiver.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "ordering_support.hpp"
#include "outbox_reader.hpp"
#include "spec_checks.hpp"
#include "timing.hpp"

using namespace tmfd::test;
using namespace tmfd::test::ordering;
using namespace std::chrono_literals;

namespace {

const std::string kCancelResourceOrders = "/tmf-api/resourceOrderingManagement/v4/cancelResourceOrder";

// The customer as TMF641 wants a RelatedParty (with @type).
json::object party(const json::object& customer) { return with(customer, json::object{{"@type", "RelatedParty"}}); }

json::object service_item(const std::string& id, const std::string& action, json::object service) {
  return json::object{{"id", id}, {"action", action}, {"service", with(std::move(service), json::object{{"@type", "Service"}})}};
}

json::object add_service(const std::string& id, const std::string& spec) {
  return service_item(id, "add", json::object{{"serviceSpecification", json::object{{"id", spec}}}});
}

json::object service_order(const json::object& customer, json::array items) {
  return json::object{{"relatedParty", json::array{party(customer)}}, {"serviceOrderItem", std::move(items)}};
}

json::object resource_item(const std::string& id, const std::string& action, const std::string& spec, const std::string& resource_id = {}) {
  json::object item{{"id", id}, {"action", action}};
  if (!spec.empty()) item["resourceSpecification"] = json::object{{"id", spec}};
  if (!resource_id.empty()) item["resource"] = json::object{{"id", resource_id}, {"href", kResources + "/" + resource_id}};
  return item;
}

json::object post_order(HttpClient& c, const std::string& path, const json::object& body, const char* spec, const char* type) {
  auto r = post_json(c, path, body);
  INFO(r.body);
  const auto created = require_object(r, 201, "POST " + path);
  check_spec(created, spec, type);
  CHECK(str(created, "state") == "acknowledged");
  return created;
}

std::string order_state(HttpClient& c, const std::string& path, const std::string& id) {
  return str(get_object(c, path + "/" + id), "state");
}

bool wait_for_order(HttpClient& c, const std::string& path, const std::string& id, const std::string& state) {
  return eventually([&] { return order_state(c, path, id) == state; }, 20s);
}

std::map<std::string, json::object> items_by_id(const json::object& order, const char* key) {
  std::map<std::string, json::object> out;
  for (const auto& i : order.at(key).as_array()) out[str(i.as_object(), "id")] = i.as_object();
  return out;
}

std::string related_id(const json::object& flow, const std::string& role) {
  for (const auto& r : flow.at("relatedEntity").as_array())
    if (str(r.as_object(), "role") == role) return str(r.as_object(), "id");
  return {};
}

std::size_t outbox_count(const TmfdProcess& p, const std::string& id, const std::string& type) {
  std::size_t n = 0;
  for (const auto& row : read_outbox(p, id)) n += row.event_type == type;
  return n;
}

std::string ref_id(const json::object& o, const char* key) { return str(o.at(key).as_object(), "id"); }

} // namespace

TEST_CASE("a service order posted directly decomposes through the catalog and completes into inventory", "[ordering][direct-orders]") {
  TmfdProcess p(ordering_options_with_hubs());
  HttpClient c(p.port());
  CallbackReceiver receiver;
  REQUIRE(post_json(c, "/tmf-api/serviceOrdering/v4/hub", json::object{{"callback", receiver.url("/so")},
                                                                       {"query", "eventType=ServiceOrderStateChangeEvent"}})
              .status == 201);
  const auto customer = new_customer(c);

  // Internet access (CFS) depends on fibre access and IP connectivity (RFS).
  auto ordered = add_service("1", "ss-internet-access");
  ordered["service"].as_object()["serviceCharacteristic"] = json::array{json::object{{"name", "bandwidth"}, {"value", "1 Gbps"}}};
  const auto created = post_order(c, kServiceOrders, service_order(customer, json::array{ordered}), kTmf641, "ServiceOrder");
  const auto so_id = str(created, "id");
  REQUIRE(wait_for_order(c, kServiceOrders, so_id, "completed"));
  const auto so = get_object(c, kServiceOrders + "/" + so_id);
  check_spec(so, kTmf641, "ServiceOrder");
  CHECK(!str(so, "completionDate").empty());
  // The services it depends on became items 1.1 and 1.2, which item 1 depends on.
  auto items = items_by_id(so, "serviceOrderItem");
  REQUIRE(items.size() == 3);
  for (const auto& [item_id, item] : items) CHECK(str(item, "state") == "completed");
  std::set<std::string> depends_on;
  for (const auto& r : items["1"].at("serviceOrderItemRelationship").as_array())
    depends_on.insert(str(r.at("orderItem").as_object(), "itemId"));
  CHECK(depends_on == std::set<std::string>{"1.1", "1.2"});
  CHECK(so.at("milestone").as_array().size() == 3);

  // The services, in inventory, with their resources and the customer.
  const auto cfs = get_object(c, kServices + "/" + ref_id(items["1"], "service"));
  check_spec(cfs, kTmf638, "Service");
  CHECK(str(cfs, "state") == "active");
  CHECK(cfs.at("supportingService").as_array().size() == 2);
  CHECK(str(cfs.at("relatedParty").as_array()[0].as_object(), "id") == str(customer, "id"));
  CHECK(str(cfs.at("serviceOrderItem").as_array()[0].as_object(), "serviceOrderId") == so_id);
  CHECK(characteristic(cfs, "serviceCharacteristic", "bandwidth") == json::value("1 Gbps"));  // as ordered

  // The flow and the resource order it made: the service order is the root.
  const auto flow = process_flow_of(c, so_id);
  check_spec(flow, kTmf701, "ProcessFlow");
  CHECK(str(flow, "processFlowSpecification") == "serviceOrderFulfilment");
  CHECK(str(flow, "state") == "completed");
  CHECK(related_id(flow, "productOrder").empty());
  const auto ro_id = related_id(flow, "resourceOrder");
  REQUIRE(!ro_id.empty());
  const auto ro = get_object(c, kResourceOrders + "/" + ro_id);
  check_spec(ro, kTmf652, "ResourceOrder");
  CHECK(str(ro, "state") == "completed");
  REQUIRE(ro.at("externalReference").as_array().size() == 1);
  CHECK(str(ro.at("externalReference").as_array()[0].as_object(), "id") == so_id);
  std::set<std::string> specs;
  for (const auto& i : ro.at("orderItem").as_array()) {
    specs.insert(ref_id(i.as_object(), "resourceSpecification"));
    const auto resource = get_object(c, kResources + "/" + ref_id(i.as_object(), "resource"));
    check_spec(resource, kTmf639, "Resource");
  }
  CHECK(specs == std::set<std::string>{"rs-fibre-access-line", "rs-cpe-router", "rs-ipv4-address"});
  const auto addresses = as_array(c.get(kResources + "?resourceSpecification.id=rs-ipv4-address"));
  REQUIRE(addresses.size() == 1);
  CHECK(characteristic(addresses[0].as_object(), "resourceCharacteristic", "ipAddress") == json::value("100.64.0.1"));

  // The hub saw acknowledged -> inProgress -> completed, each a valid TMF641 event.
  REQUIRE(receiver.wait_until([&](const std::vector<ReceivedRequest>& all) {
    for (const auto& r : all)
      if (r.resource_id() == so_id && r.resource_attribute("state") == "completed") return true;
    return false;
  }, std::chrono::steady_clock::now() + 20s));
  std::vector<std::string> states;
  for (const auto& r : receiver.accepted())
    if (r.resource_id() == so_id) {
      check_spec(r.json(), kTmf641, r.event_type());
      states.push_back(r.resource_attribute("state"));
    }
  CHECK(states == std::vector<std::string>{"inProgress", "completed"});

  SECTION("modify and delete items act on the service in inventory and what supports it") {
    const auto modified = post_order(
        c, kServiceOrders,
        service_order(customer, json::array{service_item("1", "modify", json::object{{"id", str(cfs, "id")},
                                                                              {"serviceCharacteristic", json::array{json::object{{"name", "bandwidth"}, {"value", "2 Gbps"}}}}})}),
        kTmf641, "ServiceOrder");
    REQUIRE(wait_for_order(c, kServiceOrders, str(modified, "id"), "completed"));
    CHECK(items_by_id(get_object(c, kServiceOrders + "/" + str(modified, "id")), "serviceOrderItem").size() == 3);
    const auto changed = get_object(c, kServices + "/" + str(cfs, "id"));
    CHECK(characteristic(changed, "serviceCharacteristic", "bandwidth") == json::value("2 Gbps"));
    CHECK(str(changed, "state") == "active");

    const auto deleted = post_order(c, kServiceOrders,
                                    service_order(customer, json::array{service_item("1", "delete", json::object{{"id", str(cfs, "id")}})}),
                                    kTmf641, "ServiceOrder");
    REQUIRE(wait_for_order(c, kServiceOrders, str(deleted, "id"), "completed"));
    CHECK(str(get_object(c, kServices + "/" + str(cfs, "id")), "state") == "terminated");
    for (const auto& s : cfs.at("supportingService").as_array())
      CHECK(str(get_object(c, kServices + "/" + str(s.as_object(), "id")), "state") == "terminated");
    const auto address = get_object(c, kResources + "/" + str(addresses[0].as_object(), "id"));
    CHECK(str(address, "administrativeState") == "locked");
    // Its address went back to the pool.
    CHECK(c.get("/admin/ordering/allocation/demo-ipv4:100.64.0.1").status == 404);
    CHECK(total_count(c, "/admin/ordering/allocation") == 0);
    // A terminated service cannot be deleted again.
    check_error_response(post_json(c, kServiceOrders, service_order(customer, json::array{service_item("1", "delete", json::object{{"id", str(cfs, "id")}})})),
                         422, kTmf641, "terminated");
  }
}

TEST_CASE("a resource order posted directly runs its resource plans into resource inventory", "[ordering][direct-orders]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto created = post_order(c, kResourceOrders,
                                  json::object{{"orderItem", json::array{resource_item("a", "add", "rs-ipv4-address"),
                                                                         resource_item("b", "add", "rs-msisdn")}}},
                                  kTmf652, "ResourceOrder");
  const auto ro_id = str(created, "id");
  REQUIRE(wait_for_order(c, kResourceOrders, ro_id, "completed"));
  const auto ro = get_object(c, kResourceOrders + "/" + ro_id);
  check_spec(ro, kTmf652, "ResourceOrder");
  auto items = items_by_id(ro, "orderItem");
  REQUIRE(items.size() == 2);
  const auto address = get_object(c, kResources + "/" + ref_id(items["a"], "resource"));
  const auto msisdn = get_object(c, kResources + "/" + ref_id(items["b"], "resource"));
  check_spec(address, kTmf639, "Resource");
  CHECK(characteristic(address, "resourceCharacteristic", "ipAddress") == json::value("100.64.0.1"));
  CHECK(characteristic(msisdn, "resourceCharacteristic", "msisdn") == json::value("447700000000"));
  CHECK(str(msisdn, "resourceStatus") == "available");
  const auto flow = process_flow_of(c, ro_id);
  CHECK(str(flow, "processFlowSpecification") == "resourceOrderFulfilment");
  CHECK(task_flows_of(c, str(flow, "id")).size() == 2);
  // No service order was made for it.
  CHECK(related_id(flow, "serviceOrder").empty());
  // A final order cannot be held (its control points are its own: it fulfils no other order).
  check_error_response(c.post_json(kResourceOrders + "/" + ro_id + "/hold", json::object{}), 409, kTmf652,
                       "resource order '" + ro_id + "' is completed");

  // modify sets the characteristics the item names, and keeps the others.
  auto labelled = resource_item("1", "modify", "", str(address, "id"));
  labelled["resource"].as_object()["resourceCharacteristic"] = json::array{json::object{{"name", "label"}, {"value", "lab-1"}}};
  const auto modified = post_order(c, kResourceOrders, json::object{{"orderItem", json::array{labelled}}}, kTmf652, "ResourceOrder");
  REQUIRE(wait_for_order(c, kResourceOrders, str(modified, "id"), "completed"));
  const auto relabelled = get_object(c, kResources + "/" + str(address, "id"));
  CHECK(characteristic(relabelled, "resourceCharacteristic", "label") == json::value("lab-1"));
  CHECK(characteristic(relabelled, "resourceCharacteristic", "ipAddress") == json::value("100.64.0.1"));

  // delete ends the resource and frees its number; modify of an ended one is refused.
  const auto deleted = post_order(c, kResourceOrders,
                                  json::object{{"orderItem", json::array{resource_item("1", "delete", "", str(msisdn, "id"))}}},
                                  kTmf652, "ResourceOrder");
  REQUIRE(wait_for_order(c, kResourceOrders, str(deleted, "id"), "completed"));
  const auto ended = get_object(c, kResources + "/" + str(msisdn, "id"));
  CHECK(str(ended, "administrativeState") == "locked");
  CHECK(!str(ended, "endOperatingDate").empty());
  check_error_response(post_json(c, kResourceOrders, json::object{{"orderItem", json::array{resource_item("1", "modify", "", str(msisdn, "id"))}}}),
                       422, kTmf652, str(msisdn, "id"));
}

TEST_CASE("a service or resource order posted directly is checked whole before it is accepted", "[ordering][direct-orders]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  struct Case {
    const char* what;
    std::string path;
    json::object body;
    int status;
    const char* spec;
    std::string mention;
  };
  const auto unknown = service_item("1", "modify", json::object{{"id", "no-such-service"}});
  json::object looping = service_order(customer, json::array{add_service("1", "ss-static-ip"), add_service("2", "ss-static-ip")});
  auto& loop_items = looping["serviceOrderItem"].as_array();
  loop_items[0].as_object()["serviceOrderItemRelationship"] =
      json::array{json::object{{"relationshipType", "dependsOn"}, {"orderItem", json::object{{"itemId", "2"}, {"@referredType", "ServiceOrderItem"}}}}};
  loop_items[1].as_object()["serviceOrderItemRelationship"] =
      json::array{json::object{{"relationshipType", "dependsOn"}, {"orderItem", json::object{{"itemId", "1"}, {"@referredType", "ServiceOrderItem"}}}}};
  json::object dangling = service_order(customer, json::array{add_service("1", "ss-static-ip")});
  dangling["serviceOrderItem"].as_array()[0].as_object()["serviceOrderItemRelationship"] =
      json::array{json::object{{"relationshipType", "dependsOn"}, {"orderItem", json::object{{"itemId", "9"}}}}};
  const std::vector<Case> cases = {
      {"no items", kServiceOrders, json::object{{"serviceOrderItem", json::array{}}}, 400, kTmf641, "serviceOrderItem"},
      {"an item without an action", kServiceOrders,
       json::object{{"serviceOrderItem", json::array{json::object{{"id", "1"}, {"service", json::object{{"serviceSpecification", json::object{{"id", "ss-static-ip"}}}}}}}}},
       400, kTmf641, "action"},
      {"an item without a service", kServiceOrders, json::object{{"serviceOrderItem", json::array{json::object{{"id", "1"}, {"action", "add"}}}}},
       400, kTmf641, "service"},
      {"an add without a specification", kServiceOrders, service_order(customer, json::array{service_item("1", "add", json::object{{"name", "x"}})}),
       400, kTmf641, "serviceSpecification"},
      {"a specification the catalog does not have", kServiceOrders, service_order(customer, json::array{add_service("1", "ss-nothing")}),
       422, kTmf641, "ss-nothing"},
      {"a modify of a service not in inventory", kServiceOrders, service_order(customer, json::array{unknown}), 422, kTmf641, "no-such-service"},
      {"a delete without the service's id", kServiceOrders, service_order(customer, json::array{service_item("1", "delete", json::object{{"name", "x"}})}),
       400, kTmf641, "service.id"},
      {"items that depend on each other in a loop", kServiceOrders, looping, 400, kTmf641, "loop"},
      {"a dependency on an item not in the order", kServiceOrders, dangling, 400, kTmf641, "'9'"},
      {"a resource order without items", kResourceOrders, json::object{{"name", "x"}}, 400, kTmf652, "orderItem"},
      {"a resource add without a specification", kResourceOrders, json::object{{"orderItem", json::array{resource_item("1", "add", "")}}},
       400, kTmf652, "resourceSpecification"},
      {"a resource specification the catalog does not have", kResourceOrders,
       json::object{{"orderItem", json::array{resource_item("1", "add", "rs-nothing")}}}, 422, kTmf652, "rs-nothing"},
      {"a delete of a resource not in inventory", kResourceOrders,
       json::object{{"orderItem", json::array{resource_item("1", "delete", "", "no-such-resource")}}}, 422, kTmf652, "no-such-resource"},
      {"a characteristic a pool fills (allocate step)", kResourceOrders,
       json::object{{"orderItem", json::array{with(resource_item("1", "add", "rs-msisdn"),
                                                   json::object{{"resource", json::object{{"id", "x"}, {"href", "x"},
                                                                                          {"resourceCharacteristic", json::array{json::object{{"name", "msisdn"}, {"value", "447700000001"}}}}}}})}}},
       422, kTmf652, "msisdn"},
      {"an action TMF652 does not have", kResourceOrders,
       json::object{{"orderItem", json::array{resource_item("1", "suspend", "rs-msisdn")}}}, 400, kTmf652, "action"},
  };
  for (const auto& k : cases) {
    INFO(k.what);
    check_error_response(post_json(c, k.path, k.body), k.status, k.spec, k.mention);
  }
  // Refused whole: nothing was written.
  CHECK(total_count(c, kServiceOrders) == 0);
  CHECK(total_count(c, kResourceOrders) == 0);
  CHECK(total_count(c, kProcessFlows) == 0);
}

TEST_CASE("a service order posted directly waits for a person, tells so, and can be cancelled while it waits", "[ordering][direct-orders]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  // Static IP: an address from the pool, then configure-routing, a manual step.
  const auto waiting = post_order(c, kServiceOrders, service_order(customer, json::array{add_service("1", "ss-static-ip")}),
                                  kTmf641, "ServiceOrder");
  const auto so_id = str(waiting, "id");
  const auto flow = process_flow_of(c, so_id);
  const auto task_id = str(waiting_task(c, so_id).second, "id");
  CHECK(order_state(c, kServiceOrders, so_id) == "inProgress");
  // Information required on the service order (the root) and on the resource order? The step is
  // the service's: its service order only, once; the events are valid TMF641 events.
  REQUIRE(eventually([&] { return outbox_count(p, so_id, "ServiceOrderInformationRequiredEvent") == 1; }, 20s));
  const EventSource source{"serviceOrdering", "serviceOrder", kTmf641};
  for (const auto& row : read_outbox(p, so_id))
    if (row.event_type == "ServiceOrderInformationRequiredEvent") check_outbox_event(row, source, so_id);
  const auto so = get_object(c, kServiceOrders + "/" + so_id);
  CHECK_THAT(str(so.at("note").as_array().back().as_object(), "text"), Catch::Matchers::Contains(task_id));
  const auto ro_id = related_id(flow, "resourceOrder");
  REQUIRE(!ro_id.empty());
  CHECK(outbox_count(p, ro_id, "ResourceOrderInformationRequiredEvent") == 0);
  // The resource order it made (completed already: the address came first) is cancelled through it only.
  auto refused = post_json(c, kCancelResourceOrders, json::object{{"resourceOrder", json::object{{"id", ro_id}}}});
  REQUIRE(refused.status == 201);
  REQUIRE(eventually([&] { return str(get_object(c, kCancelResourceOrders + "/" + id_of(refused)), "state") == "terminatedWithError"; }, 20s));
  CHECK_THAT(str(get_object(c, kCancelResourceOrders + "/" + id_of(refused)), "description"),
             Catch::Matchers::Contains("service order " + so_id));
  // The service order moves with its fulfilment only.
  check_error_response(merge_patch(c, kServiceOrders, so_id, json::object{{"state", "completed"}}), 409, kTmf641, "fulfilment");

  SECTION("the person completes the step") {
    REQUIRE(c.patch_json(kProcessFlows + "/" + str(flow, "id") + "/taskFlow/" + task_id,
                         json::object{{"state", "completed"}, {"characteristic", json::array{json::object{{"name", "routingConfig"}, {"value", "bgp-1"}}}}})
                .status == 200);
    REQUIRE(wait_for_order(c, kServiceOrders, so_id, "completed"));
    const auto done = get_object(c, kServiceOrders + "/" + so_id);
    const auto service = get_object(c, kServices + "/" + ref_id(done.at("serviceOrderItem").as_array()[0].as_object(), "service"));
    CHECK(characteristic(service, "serviceCharacteristic", "routingConfig") == json::value("bgp-1"));
    CHECK(order_state(c, kResourceOrders, ro_id) == "completed");
    CHECK(outbox_count(p, so_id, "ServiceOrderMilestoneEvent") == 1);
  }
  SECTION("held and resumed through its own control points, not through the resource order it made") {
    auto held = c.post_json(kServiceOrders + "/" + so_id + "/hold", json::object{{"reason", "maintenance window"}});
    INFO(held.body);
    REQUIRE(held.status == 200);
    CHECK(str(held.json().as_object(), "state") == "held");
    CHECK(str(get_object(c, kProcessFlows + "/" + str(flow, "id")), "state") == "hold");
    CHECK_THAT(str(get_object(c, kServiceOrders + "/" + so_id).at("note").as_array().back().as_object(), "text"),
               Catch::Matchers::Contains("maintenance window"));
    // Held already; the resource order it made is held and resumed through it only.
    check_error_response(c.post_json(kServiceOrders + "/" + so_id + "/hold", json::object{}), 409, kTmf641, "is held");
    check_error_response(c.post_json(kResourceOrders + "/" + ro_id + "/hold", json::object{}), 409, kTmf652,
                         "service order " + so_id);
    auto resumed = c.post_json(kServiceOrders + "/" + so_id + "/resume", json::object{});
    REQUIRE(resumed.status == 200);
    CHECK(str(resumed.json().as_object(), "state") == "inProgress");
    check_error_response(c.post_json(kServiceOrders + "/" + so_id + "/resume", json::object{}), 409, kTmf641, "inProgress");
    REQUIRE(c.patch_json(kProcessFlows + "/" + str(flow, "id") + "/taskFlow/" + task_id, json::object{{"state", "completed"}}).status == 200);
    REQUIRE(wait_for_order(c, kServiceOrders, so_id, "completed"));
    check_error_response(c.post_json(kServiceOrders + "/" + so_id + "/hold", json::object{}), 409, kTmf641, "service order '" + so_id + "' is completed");
  }
  SECTION("cancelled while it waits: what it made is undone") {
    const auto address_id = ref_id(get_object(c, kResourceOrders + "/" + ro_id).at("orderItem").as_array()[0].as_object(), "resource");
    auto cancel = post_json(c, kCancelServiceOrders, json::object{{"serviceOrder", json::object{{"id", so_id}}}, {"cancellationReason", "not needed"}});
    INFO(cancel.body);
    REQUIRE(cancel.status == 201);
    REQUIRE(eventually([&] { return str(get_object(c, kCancelServiceOrders + "/" + id_of(cancel)), "state") == "done"; }, 20s));
    const auto cancelled = get_object(c, kServiceOrders + "/" + so_id);
    check_spec(cancelled, kTmf641, "ServiceOrder");
    CHECK(str(cancelled, "state") == "cancelled");
    CHECK(str(cancelled, "cancellationReason") == "not needed");
    // The resource order had completed, and stays so; the address it made is ended and released.
    CHECK(order_state(c, kResourceOrders, ro_id) == "completed");
    CHECK(str(get_object(c, kProcessFlows + "/" + str(flow, "id")), "state") == "cancelled");
    CHECK(str(get_object(c, kProcessFlows + "/" + str(flow, "id") + "/taskFlow/" + task_id), "state") == "cancelled");
    CHECK(str(get_object(c, kResources + "/" + address_id), "administrativeState") == "locked");
    CHECK(total_count(c, "/admin/ordering/allocation") == 0);
  }
}

TEST_CASE("a direct service order's derived items never take its own ids, and a client's external reference does not stop it", "[ordering][direct-orders]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  // Item "1" (internet access) decomposes into two more items; the client uses "1.1" itself.
  auto body = service_order(customer, json::array{add_service("1", "ss-internet-access"), add_service("1.1", "ss-mobile-voice-data")});
  // A BSS's own product order, named the way TMF641 allows.
  body["externalReference"] = json::array{json::object{{"externalReferenceType", "ProductOrder"}, {"name", "bss-order-42"}}};
  const auto so_id = str(post_order(c, kServiceOrders, body, kTmf641, "ServiceOrder"), "id");
  REQUIRE(wait_for_order(c, kServiceOrders, so_id, "completed"));
  const auto so = get_object(c, kServiceOrders + "/" + so_id);
  check_spec(so, kTmf641, "ServiceOrder");
  auto items = items_by_id(so, "serviceOrderItem");
  CHECK(items.size() == 4);
  for (const char* id : {"1", "1.1", "1.2", "1.3"}) {
    INFO(id);
    REQUIRE(items.count(id) == 1);
    CHECK(str(items[id], "state") == "completed");
  }
  CHECK(ref_id(items["1.1"].at("service").as_object(), "serviceSpecification") == "ss-mobile-voice-data");
  std::set<std::string> depends_on;
  for (const auto& r : items["1"].at("serviceOrderItemRelationship").as_array())
    depends_on.insert(str(r.at("orderItem").as_object(), "itemId"));
  CHECK(depends_on == std::set<std::string>{"1.2", "1.3"});
  CHECK(total_count(c, kServices) == 4);
}
