// The ordering module as a client meets it, over HTTP against the real tmfd binary with the
// catalog (demo catalog), party, inventory and ordering modules: a product order decomposed
// through the catalog into service and resource orders, fulfilled by its plan's steps into
// inventory, shown as a TMF701 process flow; validation on POST, the lifecycle rules, manual
// steps, hold and resume, retries and failures, item actions, cancellation before and after the
// point of no return, and jeopardy. Bodies and events are validated against the published specs.
#include <catch2/catch.hpp>

#include <map>
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

std::string id_in(const json::object& o, const char* key) { return str(o.at(key).as_object(), "id"); }

const json::object* related(const json::object& flow, const std::string& role) {
  for (const auto& r : flow.at("relatedEntity").as_array())
    if (str(r.as_object(), "role") == role) return &r.as_object();
  return nullptr;
}

std::size_t count_of(const std::vector<OutboxRow>& rows, const std::string& type) {
  std::size_t n = 0;
  for (const auto& r : rows) n += r.event_type == type;
  return n;
}

json::object cancel(HttpClient& c, const std::string& order_id, const std::string& reason = "changed my mind") {
  auto r = post_json(c, kCancelProductOrders,
                     json::object{{"productOrder", json::object{{"id", order_id}}}, {"cancellationReason", reason}});
  INFO(r.body);
  return require_object(r, 201, "POST cancelProductOrder");
}

std::string task_state(HttpClient& c, const std::string& cancel_id) {
  return str(get_object(c, kCancelProductOrders + "/" + cancel_id), "state");
}


} // namespace

TEST_CASE("a fibre order completes with its service order, resource order, process flow and inventory", "[ordering]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  const auto answer = post_json(c, kProductOrders, order_of(customer, {"po-fibre-1g"}));
  const auto created = require_object(answer, 201, "POST productOrder");
  const std::string id = check_created(answer, created, kProductOrders, "ProductOrder");
  CHECK(str(created, "state") == "acknowledged");
  CHECK(str(created.at("productOrderItem").as_array()[0].as_object(), "state") == "acknowledged");
  CHECK(!str(created, "orderDate").empty());
  check_spec(created, kTmf622, "ProductOrder");
  // The mandatory characteristic left out takes the specification's default.
  CHECK(characteristic(created.at("productOrderItem").as_array()[0].at("product").as_object(), "productCharacteristic",
                       "downloadSpeed") == json::value("300 Mbps"));

  REQUIRE(wait_for_state(c, id, "completed"));
  const auto order = get_object(c, kProductOrders + "/" + id);
  check_spec(order, kTmf622, "ProductOrder");
  CHECK(str(order.at("productOrderItem").as_array()[0].as_object(), "state") == "completed");
  CHECK(!str(order, "completionDate").empty());

  // The process flow names the order and its child orders; its task flows are the plan's steps.
  const auto flow = process_flow_of(c, id);
  check_spec(flow, kTmf701, "ProcessFlow");
  CHECK(str(flow, "state") == "completed");
  REQUIRE(related(flow, "serviceOrder"));
  REQUIRE(related(flow, "resourceOrder"));
  const auto tasks = task_flows_of(c, str(flow, "id"));
  REQUIRE(tasks.size() == 3);  // line, router, address
  std::set<std::string> steps;
  for (const auto& t : tasks) {
    check_spec(t, kTmf701, "TaskFlow");
    CHECK(str(t.as_object(), "state") == "completed");
    steps.insert(str(t.as_object(), "taskFlowSpecification"));
    const std::string href = str(t.as_object(), "href");
    CHECK(href == kProcessFlows + "/" + str(flow, "id") + "/taskFlow/" + str(t.as_object(), "id"));
    CHECK(get_object(c, href) == t.as_object());
  }
  CHECK(steps == std::set<std::string>{"assign-line", "assign-router", "allocate-address"});

  // The service order: the CFS and the two RFS it depends on, each realized in inventory.
  const auto so = get_object(c, kServiceOrders + "/" + str(*related(flow, "serviceOrder"), "id"));
  check_spec(so, kTmf641, "ServiceOrder");
  CHECK(str(so, "state") == "completed");
  CHECK(str(so.at("orderRelationship").as_array()[0].as_object(), "id") == id);
  const auto& so_items = so.at("serviceOrderItem").as_array();
  REQUIRE(so_items.size() == 3);
  std::map<std::string, std::string> service_of_spec;
  for (const auto& i : so_items) {
    const auto& item = i.as_object();
    CHECK(str(item, "state") == "completed");
    const auto& service = item.at("service").as_object();
    service_of_spec[id_in(service, "serviceSpecification")] = str(service, "id");
  }
  REQUIRE(service_of_spec.size() == 3);
  const auto cfs = get_object(c, kServices + "/" + service_of_spec["ss-internet-access"]);
  check_spec(cfs, kTmf638, "Service");
  CHECK(str(cfs, "state") == "active");
  CHECK(cfs.at("supportingService").as_array().size() == 2);
  const auto fibre = get_object(c, kServices + "/" + service_of_spec["ss-fibre-access"]);
  CHECK(fibre.at("supportingResource").as_array().size() == 2);
  CHECK(str(fibre.at("serviceOrderItem").as_array()[0].as_object(), "serviceOrderId") == str(so, "id"));

  // The resource order: one item per resource, with the values the steps produced.
  const auto ro = get_object(c, kResourceOrders + "/" + str(*related(flow, "resourceOrder"), "id"));
  check_spec(ro, kTmf652, "ResourceOrder");
  CHECK(str(ro, "state") == "completed");
  std::set<std::string> values;
  std::map<std::string, std::string> type_of_spec;
  for (const auto& i : ro.at("orderItem").as_array()) {
    const auto& item = i.as_object();
    CHECK(str(item, "state") == "completed");
    const auto resource = get_object(c, kResources + "/" + id_in(item, "resource"));
    // The subclass of TMF639 the catalog's specification names (PhysicalResourceSpecification...).
    const std::string type = str(resource, "@type");
    check_spec(resource, kTmf639, type.c_str());
    type_of_spec[id_in(resource, "resourceSpecification")] = type;
    CHECK(str(resource, "href") == kResourceInventoryBase + (type == "PhysicalResource" ? "/physicalResource/" : "/logicalResource/") + str(resource, "id"));
    CHECK(get_object(c, str(resource, "href")) == resource);
    CHECK(str(resource.at("relatedParty").as_array()[0].as_object(), "id") == str(customer, "id"));
    for (const char* name : {"lineId", "serialNumber", "ipAddress"})
      if (auto v = characteristic(resource, "resourceCharacteristic", name); v.is_string()) values.insert(name);
  }
  CHECK(values == std::set<std::string>{"lineId", "serialNumber", "ipAddress"});
  CHECK(type_of_spec == std::map<std::string, std::string>{{"rs-fibre-access-line", "PhysicalResource"},
                                                           {"rs-cpe-router", "PhysicalResource"},
                                                           {"rs-ipv4-address", "LogicalResource"}});

  // The product: active, for the customer, realized by the CFS, traced to the order item.
  const auto products = as_array(c.get(kProducts + "?productOrderItem.productOrderId=" + url_encode(id)));
  REQUIRE(products.size() == 1);
  const auto& product = products.front().as_object();
  check_spec(product, kTmf637, "Product");
  CHECK(str(product, "status") == "active");
  CHECK(id_in(product, "productOffering") == "po-fibre-1g");
  CHECK(id_in(product, "productSpecification") == "ps-fibre-broadband");
  CHECK(str(product.at("realizingService").as_array()[0].as_object(), "id") == service_of_spec["ss-internet-access"]);
  CHECK(str(product.at("relatedParty").as_array()[0].as_object(), "id") == str(customer, "id"));
  CHECK(characteristic(product, "productCharacteristic", "downloadSpeed") == json::value("300 Mbps"));

  // Every state change was announced, in order, as a legal move, and validates against TMF622.
  const auto events = read_outbox(p, id);
  CHECK(event_types(events).front() == "ProductOrderCreateEvent");
  CHECK(count_of(events, "ProductOrderStateChangeEvent") == 2);  // inProgress, completed
  const EventSource source{"productOrdering", "productOrder", kTmf622};
  for (const auto& e : events) check_outbox_event(e, source, id);
}

TEST_CASE("every demo offering decomposes: mobile plan, bundle, static IP with its manual step", "[ordering]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto customer = new_customer(c);

  SECTION("mobile plan: an MSISDN from the range and a SIM card") {
    const auto id = str(place(c, order_of(customer, {"po-mobile-unlimited"})), "id");
    REQUIRE(wait_for_state(c, id, "completed"));
    const auto resources = as_array(c.get(kResources + "?resourceSpecification.id=rs-msisdn"));
    REQUIRE(resources.size() == 1);
    CHECK(characteristic(resources[0].as_object(), "resourceCharacteristic", "msisdn") == json::value("447700000000"));
    CHECK(total_count(c, kResources, "resourceSpecification.id=rs-sim-card") == 1);
  }
  SECTION("bundle: a product per bundled offering and the bundle product over them") {
    const auto id = str(place(c, order_of(customer, {"po-home-bundle"})), "id");
    REQUIRE(wait_for_state(c, id, "completed"));
    const auto products = as_array(c.get(kProducts + "?productOrderItem.productOrderId=" + url_encode(id)));
    REQUIRE(products.size() == 3);
    std::map<std::string, json::object> by_offering;
    for (const auto& p : products) by_offering[id_in(p.as_object(), "productOffering")] = p.as_object();
    REQUIRE(by_offering.count("po-home-bundle") == 1);
    const auto& bundle = by_offering["po-home-bundle"];
    CHECK(bundle.at("isBundle") == json::value(true));
    std::set<std::string> parts;
    for (const auto& r : bundle.at("productRelationship").as_array())
      parts.insert(id_in(r.as_object(), "product"));
    CHECK(parts == std::set<std::string>{str(by_offering["po-fibre-1g"], "id"), str(by_offering["po-mobile-unlimited"], "id")});
  }
  SECTION("static IP add-on: waits for a person, who completes the task flow") {
    const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
    auto [flow_id, task] = waiting_task(c, id);
    CHECK(str(task, "completionMethod") == "manual");
    CHECK(state_of(c, id) == "inProgress");
    // The person is told: TaskFlowInformationRequiredEvent.
    CHECK(count_of(read_outbox(p, str(task, "id")), "TaskFlowInformationRequiredEvent") == 1);
    // Only "completed" is theirs to set; other attributes are the orchestrator's.
    const std::string href = kProcessFlows + "/" + flow_id + "/taskFlow/" + str(task, "id");
    check_error_response(c.patch_json(href, json::object{{"state", "cancelled"}}), 409, kTmf701);
    check_error_response(c.patch_json(href, json::object{{"priority", 1}}), 400, kTmf701, "priority");
    auto done = c.patch_json(href, json::object{{"state", "completed"},
                                                {"characteristic", json::array{json::object{{"name", "routingConfig"},
                                                                                            {"value", "bgp-64512"}}}}});
    INFO(done.body);
    REQUIRE(done.status == 200);
    CHECK(str(done.json().as_object(), "state") == "completed");
    REQUIRE(wait_for_state(c, id, "completed", 5s));
    const auto services = as_array(c.get(kServices + "?serviceSpecification.id=ss-static-ip"));
    REQUIRE(services.size() == 1);
    CHECK(characteristic(services[0].as_object(), "serviceCharacteristic", "routingConfig") == json::value("bgp-64512"));
    // A finished task flow cannot be finished again.
    check_error_response(c.patch_json(href, json::object{{"state", "completed"}}), 409, kTmf701);
  }
}

TEST_CASE("an order that fails validation is refused whole", "[ordering]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  auto item = [](json::object extra) {
    json::object i{{"id", "1"}, {"action", "add"}, {"productOffering", json::object{{"id", "po-fibre-1g"}}}};
    for (const auto& [k, v] : extra) i[k] = v;
    return i;
  };
  auto order = [&](json::array items) {
    return json::object{{"relatedParty", json::array{customer}}, {"productOrderItem", std::move(items)}};
  };
  auto chars = [](json::array list) { return json::object{{"product", json::object{{"productCharacteristic", std::move(list)}}}}; };
  auto refused = [&](const json::object& body, int status, const std::string& mention) {
    auto r = post_json(c, kProductOrders, body);
    INFO(json::serialize(body) << " -> " << r.body);
    check_error_response(r, status, kTmf622, mention);
  };
  refused(json::object{{"relatedParty", json::array{customer}}}, 400, "productOrderItem");
  refused(order(json::array{}), 400, "productOrderItem");
  refused(order(json::array{item({{"action", "replace"}})}), 400, "action");
  refused(order(json::array{item({{"state", "completed"}})}), 400, "state");
  refused(with(order(json::array{item({})}), json::object{{"state", "inProgress"}}), 400, "state");
  refused(order(json::array{json::object{{"id", "1"}, {"action", "add"}}}), 422, "productOffering");
  refused(order(json::array{item({{"productOffering", json::object{{"id", "no-such-offering"}}}})}), 422, "no-such-offering");
  refused(order(json::array{item({}), item({})}), 400, "id");
  refused(order(json::array{item(chars(json::array{json::object{{"name", "colour"}, {"value", "red"}}}))}), 422, "colour");
  refused(order(json::array{item(chars(json::array{json::object{{"name", "downloadSpeed"}, {"value", "10 Tbps"}}}))}), 422,
          "downloadSpeed");
  refused(order(json::array{item(chars(json::array{json::object{{"name", "downloadSpeed"}, {"value", 300}}}))}), 422,
          "downloadSpeed");
  refused(order(json::array{item(chars(json::array{json::object{{"name", "downloadSpeed"}, {"value", "1 Gbps"}},
                                                   json::object{{"name", "downloadSpeed"}, {"value", "1 Gbps"}}}))}),
          422, "downloadSpeed");
  // Relationships: to an item of the order, and no loop.
  auto related_to = [&](const char* id, const char* target) {
    return item({{"id", id}, {"productOrderItemRelationship",
                               json::array{json::object{{"id", target}, {"relationshipType", "dependsOn"}}}}});
  };
  refused(order(json::array{related_to("1", "9")}), 400, "9");
  refused(order(json::array{related_to("1", "1")}), 400, "itself");
  refused(order(json::array{related_to("1", "2"), related_to("2", "3"), related_to("3", "1")}), 400, "loop");
  // Items on existing products name one that exists and is the customer's.
  refused(order(json::array{json::object{{"id", "1"}, {"action", "modify"}}}), 422, "product");
  refused(order(json::array{json::object{{"id", "1"}, {"action", "delete"}, {"product", json::object{{"id", "nope"}}}}}), 422,
          "nope");
  // Parties and accounts must exist.
  refused(json::object{{"relatedParty", json::array{json::object{{"id", "ghost"}, {"role", "customer"}, {"@referredType", "Individual"}}}},
                       {"productOrderItem", json::array{item({})}}},
          422, "ghost");
  refused(with(order(json::array{item({})}), json::object{{"billingAccount", json::array{json::object{{"id", "no-account"}}}}}),
          422, "no-account");
  // A catalog offering that is not sellable.
  auto draft = post_json(c, "/tmf-api/productCatalogManagement/v4/productOffering",
                         json::object{{"name", "Draft offer"}, {"productSpecification", json::object{{"id", "ps-fibre-broadband"}}}});
  REQUIRE(draft.status == 201);
  refused(order(json::array{item({{"productOffering", json::object{{"id", id_of(draft)}}}})}), 422, id_of(draft));
  // An offering retired after it was ordered once (its entities are cached by the catalog's query
  // service): the cache lets go of it with the change's event.
  REQUIRE(wait_for_state(c, str(place(c, order_of(customer, {"po-mobile-unlimited"})), "id"), "completed"));
  REQUIRE(merge_patch(c, "/tmf-api/productCatalogManagement/v4/productOffering", "po-mobile-unlimited",
                      json::object{{"lifecycleStatus", "Retired"}}).status == 200);
  // Orders accepted while the change's event was on its way are real orders: counted below.
  std::size_t accepted_meanwhile = 0;
  CHECK(eventually([&] {
    const int status = post_json(c, kProductOrders, order_of(customer, {"po-mobile-unlimited"})).status;
    accepted_meanwhile += status == 201;
    return status == 422;
  }, 5s));
  // A malformed body.
  check_error_response(c.request("POST", kProductOrders, "{\"productOrderItem\": [", {{"Content-Type", "application/json"}}), 400,
                       kTmf622);
  // Nothing was written: no order, no process flow (but the mobile orders placed above).
  CHECK(total_count(c, kProductOrders) == 1 + accepted_meanwhile);
  // One accepted meanwhile may also fail to start, if the retirement reached the catalog's cache by
  // then (decomposition failed: no flow). Each that started has its flow.
  REQUIRE(eventually([&] { return total_count(c, kProductOrders, "state=completed,failed") == 1 + accepted_meanwhile; }, 20s));
  CHECK(total_count(c, kProcessFlows) == total_count(c, kProductOrders, "state=completed"));
  CHECK(total_count(c, kProductOrders, "state=failed") <= accepted_meanwhile);
  // An order of several items in a valid dependency order is accepted and completes.
  const auto ok = place(c, order(json::array{related_to("2", "1"), item({})}));
  CHECK(wait_for_state(c, str(ok, "id"), "completed"));
}

TEST_CASE("with on_invalid_order: reject, an order breaking a business rule is kept rejected, with why", "[ordering]") {
  TmfdProcess p(ordering_options(demo_ordering_yaml("100.64.0.0/10", "          configure-routing: {executor: manual}\n",
                                                    "    on_invalid_order: reject\n")));
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  auto body = order_of(customer, {"po-fibre-1g", "no-such-offering"});
  const auto rejected = place(c, body);
  check_spec(rejected, kTmf622, "ProductOrder");
  CHECK(str(rejected, "state") == "rejected");
  for (const auto& i : rejected.at("productOrderItem").as_array()) CHECK(str(i.as_object(), "state") == "rejected");
  CHECK_THAT(str(rejected.at("note").as_array().back().as_object(), "text"), Catch::Matchers::Contains("no-such-offering"));
  // Shape errors are still refused, and a rejected order is never fulfilled.
  check_error_response(post_json(c, kProductOrders, json::object{{"productOrderItem", json::array{json::object{{"id", "1"}}}}}), 400,
                       kTmf622, "action");
  const auto good = str(place(c, order_of(customer, {"po-fibre-1g"})), "id");
  REQUIRE(wait_for_state(c, good, "completed"));
  CHECK(state_of(c, str(rejected, "id")) == "rejected");
  CHECK(total_count(c, kProcessFlows) == 1);
  check_error_response(merge_patch(c, kProductOrders, str(rejected, "id"), json::object{{"state", "acknowledged"}}), 409, kTmf622);
}

TEST_CASE("clients move no order state; amendments and deletes follow the order's state", "[ordering]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
  auto [flow_id, task] = waiting_task(c, id);
  check_error_response(merge_patch(c, kProductOrders, id, json::object{{"state", "completed"}}), 409, kTmf622, "cancelProductOrder");
  auto items = get_object(c, kProductOrders + "/" + id).at("productOrderItem").as_array();
  items[0].as_object()["quantity"] = 2;
  check_error_response(merge_patch(c, kProductOrders, id, json::object{{"productOrderItem", items}}), 409, kTmf622);
  // Other attributes may change before the point of no return.
  auto amended = merge_patch(c, kProductOrders, id, json::object{{"description", "call before coming"}});
  INFO(amended.body);
  CHECK(amended.status == 200);
  // An order in progress cannot be deleted; a final one can.
  check_error_response(c.request("DELETE", kProductOrders + "/" + id), 409, kTmf622);
  // Its service order moves with it only.
  const auto so_id = str(*related(process_flow_of(c, id), "serviceOrder"), "id");
  check_error_response(merge_patch(c, kServiceOrders, so_id, json::object{{"state", "completed"}}), 409, kTmf641);
  // So does a service order posted directly, once its fulfilment started (it waits for the same manual step).
  auto direct = post_json(c, kServiceOrders, json::object{{"serviceOrderItem", json::array{json::object{
                                                               {"id", "1"}, {"action", "add"},
                                                               {"service", json::object{{"serviceSpecification", json::object{{"id", "ss-static-ip"}}}}}}}}});
  REQUIRE(direct.status == 201);
  REQUIRE(eventually([&] { return str(get_object(c, kServiceOrders + "/" + id_of(direct)), "state") == "inProgress"; }, 20s));
  check_error_response(merge_patch(c, kServiceOrders, id_of(direct), json::object{{"state", "completed"}}), 409, kTmf641, "fulfilment");
  const std::string href = kProcessFlows + "/" + flow_id + "/taskFlow/" + str(task, "id");
  REQUIRE(c.patch_json(href, json::object{{"state", "completed"}}).status == 200);
  REQUIRE(wait_for_state(c, id, "completed"));
  CHECK(c.request("DELETE", kProductOrders + "/" + id).status == 204);
}

TEST_CASE("hold and resume stop and restart an order", "[ordering]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
  auto [flow_id, task] = waiting_task(c, id);
  auto held = post_json(c, kProductOrders + "/" + id + "/hold", json::object{{"reason", "customer on holiday"}});
  INFO(held.body);
  REQUIRE(held.status == 200);
  CHECK(str(held.json().as_object(), "state") == "held");
  CHECK(str(get_object(c, kProcessFlows + "/" + flow_id), "state") == "hold");
  check_error_response(post_json(c, kProductOrders + "/" + id + "/hold", json::object{}), 409, kTmf622);
  // A person finishing the step meanwhile: the order stays held until resumed.
  const std::string href = kProcessFlows + "/" + flow_id + "/taskFlow/" + str(task, "id");
  REQUIRE(c.patch_json(href, json::object{{"state", "completed"}}).status == 200);
  CHECK(state_of(c, id) == "held");
  auto resumed = post_json(c, kProductOrders + "/" + id + "/resume", json::object{});
  INFO(resumed.body);
  REQUIRE(resumed.status == 200);
  REQUIRE(wait_for_state(c, id, "completed", 5s));
  check_error_response(post_json(c, kProductOrders + "/" + id + "/resume", json::object{}), 409, kTmf622);
  check_error_response(post_json(c, kProductOrders + "/nope/hold", json::object{}), 404, kTmf622);
  const auto events = event_types(read_outbox(p, id));
  CHECK(std::count(events.begin(), events.end(), "ProductOrderStateChangeEvent") == 4);  // inProgress, held, inProgress, completed
}

TEST_CASE("a step that keeps failing fails its item, or holds the order when its plan says so", "[ordering]") {
  SECTION("failed after its attempts, with the step and the reason in the order") {
    // One address only: the second order's allocation fails on each of its 2 attempts.
    TmfdProcess p(ordering_options(demo_ordering_yaml("192.0.2.7/32")));
    HttpClient c(p.port());
    const auto customer = new_customer(c);
    const auto first = str(place(c, order_of(customer, {"po-fibre-1g"})), "id");
    REQUIRE(wait_for_state(c, first, "completed"));
    const auto second = str(place(c, order_of(customer, {"po-fibre-1g", "po-mobile-unlimited"})), "id");
    REQUIRE(wait_for_state(c, second, "partial"));  // the mobile item completes, the fibre item fails
    const auto order = get_object(c, kProductOrders + "/" + second);
    CHECK(str(order.at("productOrderItem").as_array()[0].as_object(), "state") == "failed");
    CHECK(str(order.at("productOrderItem").as_array()[1].as_object(), "state") == "completed");
    const std::string note = str(order.at("note").as_array().back().as_object(), "text");
    CHECK_THAT(note, Catch::Matchers::Contains("allocate-address") && Catch::Matchers::Contains("2 attempt") &&
                         Catch::Matchers::Contains("no free value"));
    const auto flow = process_flow_of(c, second);
    const auto tasks = task_flows_of(c, str(flow, "id"), "taskFlowSpecification=allocate-address");
    REQUIRE(tasks.size() == 1);
    CHECK(str(tasks[0].as_object(), "state") == "cancelled");
    CHECK(characteristic(tasks[0].as_object(), "characteristic", "attempts") == json::value(2));
    const auto so = get_object(c, kServiceOrders + "/" + str(*related(flow, "serviceOrder"), "id"));
    CHECK(str(so, "state") == "partial");
    // No fibre product for the failed item; one mobile product.
    CHECK(total_count(c, kProducts, "productOrderItem.productOrderId=" + url_encode(second)) == 1);
  }
  SECTION("held with an issue, and completed once resumed after the issue is solved") {
    // The demo plan, with on_failure: hold on the allocation.
    std::string yaml = demo_ordering_yaml("192.0.2.7/32");
    yaml.replace(yaml.find("retry_ms: 20}"), 13, "retry_ms: 20, on_failure: hold}");
    TmfdProcess q(ordering_options(yaml));
    HttpClient cq(q.port());
    const auto customer_q = new_customer(cq);
    const auto first = str(place(cq, order_of(customer_q, {"po-fibre-1g"})), "id");
    REQUIRE(wait_for_state(cq, first, "completed"));
    const auto second = str(place(cq, order_of(customer_q, {"po-fibre-1g"})), "id");
    REQUIRE(wait_for_state(cq, second, "held"));
    CHECK(str(process_flow_of(cq, second), "state") == "hold");
    // The operator frees the address by ending the first product, then resumes.
    const auto product = as_array(cq.get(kProducts + "?productOrderItem.productOrderId=" + url_encode(first)));
    REQUIRE(product.size() == 1);
    auto ending = json::object{{"relatedParty", json::array{customer_q}},
                               {"productOrderItem", json::array{json::object{
                                                        {"id", "1"}, {"action", "delete"},
                                                        {"product", json::object{{"id", str(product[0].as_object(), "id")}}}}}}};
    const auto end_id = str(place(cq, ending), "id");
    REQUIRE(wait_for_state(cq, end_id, "completed"));
    REQUIRE(post_json(cq, kProductOrders + "/" + second + "/resume", json::object{}).status == 200);
    REQUIRE(wait_for_state(cq, second, "completed"));
  }
}

TEST_CASE("delete, suspend and resume items change the customer's products and release what they held", "[ordering]") {
  TmfdProcess p(ordering_options(demo_ordering_yaml("192.0.2.7/32")));
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  const auto first = str(place(c, order_of(customer, {"po-fibre-1g"})), "id");
  REQUIRE(wait_for_state(c, first, "completed"));
  const auto product = as_array(c.get(kProducts + "?productOrderItem.productOrderId=" + url_encode(first)))[0].as_object();
  const std::string product_id = str(product, "id");
  auto on_product = [&](const char* action, const json::object& who) {
    return json::object{{"relatedParty", json::array{who}},
                        {"productOrderItem", json::array{json::object{{"id", "1"}, {"action", action},
                                                                      {"product", json::object{{"id", product_id}}}}}}};
  };
  // Another customer's product cannot be touched.
  const auto stranger = new_customer(c);
  check_error_response(post_json(c, kProductOrders, on_product("suspend", stranger)), 422, kTmf622, product_id);
  // resume applies to suspended products only.
  check_error_response(post_json(c, kProductOrders, on_product("resume", customer)), 422, kTmf622, "active");

  REQUIRE(wait_for_state(c, str(place(c, on_product("suspend", customer)), "id"), "completed"));
  CHECK(str(get_object(c, kProducts + "/" + product_id), "status") == "suspended");
  const auto cfs_id = str(product.at("realizingService").as_array()[0].as_object(), "id");
  CHECK(str(get_object(c, kServices + "/" + cfs_id), "state") == "inactive");
  REQUIRE(wait_for_state(c, str(place(c, on_product("resume", customer)), "id"), "completed"));
  CHECK(str(get_object(c, kProducts + "/" + product_id), "status") == "active");
  CHECK(str(get_object(c, kServices + "/" + cfs_id), "state") == "active");

  const auto ending = str(place(c, on_product("delete", customer)), "id");
  REQUIRE(wait_for_state(c, ending, "completed"));
  const auto ended = get_object(c, kProducts + "/" + product_id);
  CHECK(str(ended, "status") == "terminated");
  CHECK(!str(ended, "terminationDate").empty());
  CHECK(str(get_object(c, kServices + "/" + cfs_id), "state") == "terminated");
  // The only address of the pool is free again: a new order gets it.
  const auto again = str(place(c, order_of(customer, {"po-fibre-1g"})), "id");
  REQUIRE(wait_for_state(c, again, "completed"));
  const auto ips = as_array(c.get(kResources + "?resourceSpecification.id=rs-ipv4-address"));
  REQUIRE(ips.size() == 2);
  for (const auto& ip : ips) CHECK(characteristic(ip.as_object(), "resourceCharacteristic", "ipAddress") == json::value("192.0.2.7"));
}

TEST_CASE("cancellation undoes an order before its point of no return, and is refused after it", "[ordering]") {
  SECTION("before: allocations released, inventory terminated, child orders and flow cancelled") {
    TmfdProcess p(ordering_options(demo_ordering_yaml("192.0.2.7/32")));
    HttpClient c(p.port());
    const auto customer = new_customer(c);
    const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
    waiting_task(c, id);  // the address is allocated, routing waits for a person
    const auto task = cancel(c, id);
    check_spec(task, kTmf622, "CancelProductOrder");
    REQUIRE(eventually([&] { return task_state(c, str(task, "id")) == "done"; }, 20s));
    const auto order = get_object(c, kProductOrders + "/" + id);
    CHECK(str(order, "state") == "cancelled");
    CHECK(str(order, "cancellationReason") == "changed my mind");
    CHECK(str(order.at("productOrderItem").as_array()[0].as_object(), "state") == "cancelled");
    const auto flow = process_flow_of(c, id);
    CHECK(str(flow, "state") == "cancelled");
    CHECK(str(get_object(c, kServiceOrders + "/" + str(*related(flow, "serviceOrder"), "id")), "state") == "cancelled");
    // The resource order had completed (the address was allocated): it stays completed, and the
    // resource it made is terminated.
    CHECK(str(get_object(c, kResourceOrders + "/" + str(*related(flow, "resourceOrder"), "id")), "state") == "completed");
    const auto ip = as_array(c.get(kResources + "?resourceSpecification.id=rs-ipv4-address"))[0].as_object();
    CHECK(str(ip, "administrativeState") == "locked");
    // The order went through the cancellation states of TMF622.
    std::vector<std::string> states;
    for (const auto& e : read_outbox(p, id))
      if (e.event_type == "ProductOrderStateChangeEvent")
        states.push_back(str(boost::json::parse(e.payload).at("event").at("productOrder").as_object(), "state"));
    CHECK(states == std::vector<std::string>{"inProgress", "assessingCancellation", "pendingCancellation", "cancelled"});
    // The address is free again.
    const auto again = str(place(c, order_of(customer, {"po-fibre-1g"})), "id");
    CHECK(wait_for_state(c, again, "completed"));
    // A final order cannot be cancelled.
    check_error_response(post_json(c, kCancelProductOrders, json::object{{"productOrder", json::object{{"id", id}}}}), 409, kTmf622);
    check_error_response(post_json(c, kCancelProductOrders, json::object{{"productOrder", json::object{{"id", "nope"}}}}), 422,
                         kTmf622);
  }
  SECTION("after: the task ends terminatedWithError and the order goes on") {
    TmfdProcess p(ordering_options(demo_ordering_yaml(
        "100.64.0.0/10", "          configure-routing: {executor: manual}\n", "    point_of_no_return: inProgress\n")));
    HttpClient c(p.port());
    const auto customer = new_customer(c);
    const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
    auto [flow_id, waiting] = waiting_task(c, id);
    const auto task = cancel(c, id);
    REQUIRE(eventually([&] { return task_state(c, str(task, "id")) == "terminatedWithError"; }, 20s));
    CHECK_THAT(str(get_object(c, kCancelProductOrders + "/" + str(task, "id")), "description"),
               Catch::Matchers::Contains("point of no return"));
    CHECK(state_of(c, id) == "inProgress");
    check_error_response(merge_patch(c, kProductOrders, id, json::object{{"description", "late change"}}), 409, kTmf622,
                         "point of no return");
    REQUIRE(c.patch_json(kProcessFlows + "/" + flow_id + "/taskFlow/" + str(waiting, "id"), json::object{{"state", "completed"}})
                .status == 200);
    CHECK(wait_for_state(c, id, "completed"));
  }
}

TEST_CASE("an order past its expected completion raises a jeopardy event once", "[ordering]") {
  TmfdProcess p(ordering_options(demo_ordering_yaml(
      "100.64.0.0/10", "          configure-routing: {executor: manual}\n", "    expected_completion_seconds: 1\n")));
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
  const auto so_id = str(*related(process_flow_of(c, id), "serviceOrder"), "id");
  REQUIRE(eventually([&] { return count_of(read_outbox(p, so_id), "ServiceOrderJeopardyEvent") == 1; }, 20s));
  const auto so = get_object(c, kServiceOrders + "/" + so_id);
  check_spec(so, kTmf641, "ServiceOrder");
  REQUIRE(so.at("jeopardyAlert").as_array().size() == 1);
  CHECK(count_of(read_outbox(p, id), "ProductOrderJeopardyEvent") == 1);
  const EventSource source{"serviceOrdering", "serviceOrder", kTmf641};
  for (const auto& e : read_outbox(p, so_id))
    if (e.event_type == "ServiceOrderJeopardyEvent") check_outbox_event(e, source, so_id);
  // Once: a second has passed again, and still one.
  std::this_thread::sleep_for(1500ms);
  CHECK(count_of(read_outbox(p, so_id), "ServiceOrderJeopardyEvent") == 1);
}

TEST_CASE("service and resource orders: cancel tasks follow their parent or their own lifecycle", "[ordering]") {
  TmfdProcess p(ordering_options());
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
  const auto so_id = str(*related(process_flow_of(c, id), "serviceOrder"), "id");
  auto task = post_json(c, kCancelServiceOrders, json::object{{"serviceOrder", json::object{{"id", so_id}}}});
  INFO(task.body);
  REQUIRE(task.status == 201);
  CHECK(str(task.json().as_object(), "state") == "accepted");
  REQUIRE(eventually([&] { return str(get_object(c, kCancelServiceOrders + "/" + id_of(task)), "state") == "terminatedWithError"; }, 20s));
  CHECK(state_of(c, id) == "inProgress");
  // A service order posted directly is fulfilled, and can be cancelled while a manual step waits
  // (direct_orders_test.cpp follows it further).
  auto direct = post_json(c, kServiceOrders, json::object{{"serviceOrderItem", json::array{json::object{
                                                               {"id", "1"}, {"action", "add"},
                                                               {"service", json::object{{"serviceSpecification", json::object{{"id", "ss-static-ip"}}}}}}}}});
  REQUIRE(direct.status == 201);
  check_spec(direct.json(), kTmf641, "ServiceOrder");
  CHECK(!str(direct.json().as_object(), "orderDate").empty());  // set by the server
  auto cancel_direct = post_json(c, kCancelServiceOrders, json::object{{"serviceOrder", json::object{{"id", id_of(direct)}}}});
  REQUIRE(cancel_direct.status == 201);
  REQUIRE(eventually([&] { return str(get_object(c, kCancelServiceOrders + "/" + id_of(cancel_direct)), "state") == "done"; }, 20s));
  CHECK(str(get_object(c, kServiceOrders + "/" + id_of(direct)), "state") == "cancelled");
}

TEST_CASE("an http step calls its endpoint off the writer, and its answer completes or fails the step", "[ordering]") {
  CallbackReceiver endpoint;
  endpoint.set_answer(Answer::json(R"({"characteristic":[{"name":"vlan","value":"1204"}]})"));
  TmfdProcess p(ordering_options(demo_ordering_yaml(
      "100.64.0.0/10", "          provision: {executor: http, url: \"" + endpoint.url("/provision") +
                           "\", max_attempts: 2, retry_ms: 20, timeout_seconds: 5}\n")));
  HttpClient c(p.port());
  const auto customer = new_customer(c);

  const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
  REQUIRE(wait_for_state(c, id, "completed"));
  REQUIRE(endpoint.received().size() == 1);
  const auto call = endpoint.received().front();
  CHECK(call.method == "POST");
  CHECK(call.target == "/provision");
  const auto sent = call.json().as_object();
  CHECK(str(sent, "order") == id);
  CHECK(str(sent, "action") == "add");
  CHECK(str(sent.at("specification").as_object(), "id") == "ss-static-ip");
  CHECK(call.header("idempotency-key") == str(sent, "step") + "-1");
  const auto services = as_array(c.get(kServices + "?serviceSpecification.id=ss-static-ip"));
  REQUIRE(services.size() == 1);
  CHECK(characteristic(services[0].as_object(), "serviceCharacteristic", "vlan") == json::value("1204"));

  // An endpoint that keeps failing: two attempts, then the item fails with the answer in the order.
  endpoint.clear();
  endpoint.set_status(503);
  const auto failing = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
  REQUIRE(wait_for_state(c, failing, "failed"));
  CHECK(endpoint.received().size() == 2);
  const auto order = get_object(c, kProductOrders + "/" + failing);
  CHECK_THAT(str(order.at("note").as_array().back().as_object(), "text"), Catch::Matchers::Contains("answered 503"));
}
