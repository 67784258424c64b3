// The ordering events beyond create, change and delete, as a subscriber receives them over real
// hub callbacks (the API's own hub and the TMF688 central hub): ProductOrder-, ServiceOrder- and
// TaskFlowInformationRequiredEvent when a manual step starts waiting, and
// ServiceOrderMilestoneEvent with the service order's milestones as its items complete. Every
// event is validated against the published spec's event definition.
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

const std::string kCentralHub = "/tmf-api/event/v4/hub";

void register_hub(HttpClient& c, const std::string& hubs, const std::string& callback, const std::string& query = {}) {
  json::object body{{"callback", callback}};
  if (!query.empty()) body["query"] = query;
  auto r = post_json(c, hubs, body);
  INFO(r.body);
  REQUIRE(r.status == 201);
}

// The callbacks of `type` about resource `id`.
std::vector<ReceivedRequest> received(const CallbackReceiver& receiver, const std::string& type, const std::string& id) {
  std::vector<ReceivedRequest> out;
  for (const auto& r : receiver.accepted())
    if (r.event_type() == type && r.resource_id() == id) out.push_back(r);
  return out;
}

bool wait_for_event(const CallbackReceiver& receiver, const std::string& type, const std::string& id) {
  return receiver.wait_until([&](const std::vector<ReceivedRequest>& all) {
    for (const auto& r : all)
      if (r.accepted() && r.event_type() == type && r.resource_id() == id) return true;
    return false;
  }, std::chrono::steady_clock::now() + 20s);
}

std::size_t outbox_count(const TmfdProcess& p, const std::string& id, const std::string& type) {
  std::size_t n = 0;
  for (const auto& row : read_outbox(p, id)) n += row.event_type == type;
  return n;
}

std::string related_id(const json::object& flow, const std::string& role) {
  for (const auto& r : flow.at("relatedEntity").as_array())
    if (str(r.as_object(), "role") == role) return str(r.as_object(), "id");
  return {};
}

} // namespace

TEST_CASE("a manual step that starts waiting raises information required on its orders and task flow", "[ordering][ordering-events]") {
  TmfdProcess p(ordering_options_with_hubs());
  HttpClient c(p.port());
  CallbackReceiver receiver;
  register_hub(c, kPoBase + "/hub", receiver.url("/po"), "eventType=ProductOrderInformationRequiredEvent");
  register_hub(c, "/tmf-api/serviceOrdering/v4/hub", receiver.url("/so"));
  register_hub(c, "/tmf-api/processFlowManagement/v4/hub", receiver.url("/pf"), "eventType=TaskFlowInformationRequiredEvent");
  register_hub(c, kCentralHub, receiver.url("/central"), "eventType=ServiceOrderMilestoneEvent");
  const auto customer = new_customer(c);

  // The static IP add-on's service waits for a person (configure-routing: manual).
  const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
  const auto flow = process_flow_of(c, id);
  const auto so_id = related_id(flow, "serviceOrder");
  REQUIRE(!so_id.empty());
  const auto task_id = str(waiting_task(c, id).second, "id");

  REQUIRE(wait_for_event(receiver, "ProductOrderInformationRequiredEvent", id));
  REQUIRE(wait_for_event(receiver, "ServiceOrderInformationRequiredEvent", so_id));
  REQUIRE(wait_for_event(receiver, "TaskFlowInformationRequiredEvent", task_id));
  for (const auto& [type, resource, spec] : std::vector<std::tuple<std::string, std::string, const char*>>{
           {"ProductOrderInformationRequiredEvent", id, kTmf622},
           {"ServiceOrderInformationRequiredEvent", so_id, kTmf641},
           {"TaskFlowInformationRequiredEvent", task_id, kTmf701}}) {
    const auto got = received(receiver, type, resource);
    REQUIRE(got.size() == 1);
    check_spec(got[0].json(), spec, type);
    // Once: the outbox holds one, however long the step waits.
    CHECK(outbox_count(p, resource, type) == 1);
  }
  // What is needed is in the orders' notes: which task flow to complete, and how.
  const auto event_order = received(receiver, "ProductOrderInformationRequiredEvent", id)[0].json().at("event").at("productOrder").as_object();
  CHECK_THAT(str(event_order.at("note").as_array().back().as_object(), "text"), Catch::Matchers::Contains(task_id));
  CHECK(str(event_order, "state") == "inProgress");  // announced once the order shows it started
  const auto so = get_object(c, kServiceOrders + "/" + so_id);
  check_spec(so, kTmf641, "ServiceOrder");
  CHECK_THAT(str(so.at("note").as_array().back().as_object(), "text"), Catch::Matchers::Contains("PATCH"));
  // No item completed yet: no milestone.
  CHECK(!so.contains("milestone"));
  CHECK(outbox_count(p, so_id, "ServiceOrderMilestoneEvent") == 0);

  // The person completes the step: the service order item completes, a milestone is reached.
  REQUIRE(c.patch_json(kProcessFlows + "/" + str(flow, "id") + "/taskFlow/" + task_id, json::object{{"state", "completed"}})
              .status == 200);
  REQUIRE(wait_for_state(c, id, "completed"));
  // Once through each hub: the service ordering one and the central one.
  REQUIRE(receiver.wait_until([&](const std::vector<ReceivedRequest>& all) {
    std::size_t n = 0;
    for (const auto& r : all) n += r.accepted() && r.event_type() == "ServiceOrderMilestoneEvent" && r.resource_id() == so_id;
    return n >= 2;
  }, std::chrono::steady_clock::now() + 20s));
  const auto done = get_object(c, kServiceOrders + "/" + so_id);
  check_spec(done, kTmf641, "ServiceOrder");
  REQUIRE(done.at("milestone").as_array().size() == 1);
  const auto& milestone = done.at("milestone").as_array()[0].as_object();
  CHECK(str(milestone, "id") == "item-1-completed");
  CHECK(str(milestone, "status") == "reached");
  CHECK(!str(milestone, "milestoneDate").empty());
  // Delivered through the service ordering hub and the TMF688 central hub alike.
  std::set<std::string> paths;
  for (const auto& r : received(receiver, "ServiceOrderMilestoneEvent", so_id)) {
    paths.insert(r.target);
    check_spec(r.json(), kTmf641, "ServiceOrderMilestoneEvent");
    CHECK(r.json().at("event").at("serviceOrder").at("milestone").as_array().size() == 1);
  }
  CHECK(paths == std::set<std::string>{"/so", "/central"});
  CHECK(outbox_count(p, so_id, "ServiceOrderMilestoneEvent") == 1);
  // A step without a person raises none: the product order saw exactly one.
  CHECK(outbox_count(p, id, "ProductOrderInformationRequiredEvent") == 1);
}

TEST_CASE("an order fulfilled at once reaches a milestone per service order item, in one event", "[ordering][ordering-events]") {
  TmfdProcess p(ordering_options_with_hubs());
  HttpClient c(p.port());
  CallbackReceiver receiver;
  register_hub(c, "/tmf-api/serviceOrdering/v4/hub", receiver.url("/so"), "eventType=ServiceOrderMilestoneEvent");
  const auto customer = new_customer(c);
  // Fibre: internet access (CFS) over fibre access and IP connectivity (RFS): three items.
  const auto id = str(place(c, order_of(customer, {"po-fibre-1g"})), "id");
  REQUIRE(wait_for_state(c, id, "completed"));
  const auto so_id = related_id(process_flow_of(c, id), "serviceOrder");
  REQUIRE(wait_for_event(receiver, "ServiceOrderMilestoneEvent", so_id));
  const auto so = get_object(c, kServiceOrders + "/" + so_id);
  check_spec(so, kTmf641, "ServiceOrder");
  std::set<std::string> ids;
  for (const auto& m : so.at("milestone").as_array()) ids.insert(str(m.as_object(), "id"));
  CHECK(ids == std::set<std::string>{"item-1-completed", "item-2-completed", "item-3-completed"});
  const auto got = received(receiver, "ServiceOrderMilestoneEvent", so_id);
  REQUIRE(got.size() == 1);
  check_spec(got[0].json(), kTmf641, "ServiceOrderMilestoneEvent");
  CHECK(got[0].json().at("event").at("serviceOrder").at("milestone").as_array().size() == 3);
  const EventSource source{"serviceOrdering", "serviceOrder", kTmf641};
  for (const auto& row : read_outbox(p, so_id))
    if (row.event_type == "ServiceOrderMilestoneEvent") check_outbox_event(row, source, so_id);
  CHECK(outbox_count(p, so_id, "ServiceOrderMilestoneEvent") == 1);
  // A product order has no milestone event in TMF622 v4, and no manual step: no information required.
  CHECK(outbox_count(p, id, "ProductOrderInformationRequiredEvent") == 0);
}

TEST_CASE("a resource's manual step raises information required on the resource order too", "[ordering][ordering-events]") {
  // The SIM card is checked by a person; the MSISDN comes from a pool.
  TmfdProcess p(ordering_options("  ordering:\n    enabled: true\n"
                                 "    pools:\n      demo-msisdn: {first: \"447700000000\", last: \"447700000099\"}\n"
                                 "    plans:\n"
                                 "      rs-msisdn:\n        steps:\n"
                                 "          allocate-msisdn: {executor: allocate, pool: demo-msisdn, characteristic: msisdn}\n"
                                 "      rs-sim-card:\n        steps:\n"
                                 "          check-sim: {executor: manual}\n"));
  HttpClient c(p.port());
  const auto customer = new_customer(c);

  SECTION("in a product order: on the product order and on the resource order") {
    const auto id = str(place(c, order_of(customer, {"po-mobile-unlimited"})), "id");
    const auto flow = process_flow_of(c, id);
    const auto so_id = related_id(flow, "serviceOrder");
    const auto ro_id = related_id(flow, "resourceOrder");
    REQUIRE(eventually([&] { return outbox_count(p, ro_id, "ResourceOrderInformationRequiredEvent") == 1; }, 20s));
    CHECK(outbox_count(p, id, "ProductOrderInformationRequiredEvent") == 1);
    CHECK(outbox_count(p, so_id, "ServiceOrderInformationRequiredEvent") == 0);  // the step is the resource's
    for (const auto& row : read_outbox(p, ro_id))
      if (row.event_type == "ResourceOrderInformationRequiredEvent")
        check_outbox_event(row, EventSource{"resourceOrdering", "resourceOrder", kTmf652}, ro_id);
    for (const auto& row : read_outbox(p, id))
      if (row.event_type == "ProductOrderInformationRequiredEvent")
        check_outbox_event(row, EventSource{"productOrdering", "productOrder", kTmf622}, id);
    CHECK(state_of(c, id) == "inProgress");
  }
  SECTION("in a resource order posted directly: on that order") {
    auto r = post_json(c, kResourceOrders, json::object{{"orderItem", json::array{json::object{
                                                           {"id", "1"}, {"action", "add"}, {"resourceSpecification", json::object{{"id", "rs-sim-card"}}}}}}});
    INFO(r.body);
    REQUIRE(r.status == 201);
    const auto ro_id = id_of(r);
    REQUIRE(eventually([&] { return outbox_count(p, ro_id, "ResourceOrderInformationRequiredEvent") == 1; }, 20s));
    for (const auto& row : read_outbox(p, ro_id))
      if (row.event_type == "ResourceOrderInformationRequiredEvent")
        check_outbox_event(row, EventSource{"resourceOrdering", "resourceOrder", kTmf652}, ro_id);
    const auto ro = get_object(c, kResourceOrders + "/" + ro_id);
    check_spec(ro, kTmf652, "ResourceOrder");
    CHECK(str(ro, "state") == "inProgress");
    CHECK_THAT(str(ro.at("note").as_array().back().as_object(), "text"), Catch::Matchers::Contains("check-sim"));
  }
}

TEST_CASE("a failed step that holds its order raises information required: someone must fix it and resume", "[ordering][ordering-events]") {
  // Nothing listens on port 1: the provisioning call fails at once, and its plan holds the order.
  TmfdProcess p(ordering_options(demo_ordering_yaml(
      "100.64.0.0/10", "          provision: {executor: http, url: \"http://127.0.0.1:1/provision\", max_attempts: 1, on_failure: hold}\n")));
  HttpClient c(p.port());
  const auto customer = new_customer(c);
  const auto id = str(place(c, order_of(customer, {"po-static-ip-addon"})), "id");
  REQUIRE(wait_for_state(c, id, "held"));
  const auto so_id = related_id(process_flow_of(c, id), "serviceOrder");
  REQUIRE(eventually([&] { return outbox_count(p, id, "ProductOrderInformationRequiredEvent") == 1; }, 20s));
  CHECK(outbox_count(p, so_id, "ServiceOrderInformationRequiredEvent") == 1);
  for (const auto& row : read_outbox(p, id))
    if (row.event_type == "ProductOrderInformationRequiredEvent") {
      check_outbox_event(row, EventSource{"productOrdering", "productOrder", kTmf622}, id);
      const auto order = json::parse(row.payload).at("event").at("productOrder").as_object();
      CHECK(str(order, "state") == "held");
      CHECK_THAT(str(order.at("note").as_array().back().as_object(), "text"), Catch::Matchers::Contains("resume"));
    }
  for (const auto& row : read_outbox(p, so_id))
    if (row.event_type == "ServiceOrderInformationRequiredEvent")
      check_outbox_event(row, EventSource{"serviceOrdering", "serviceOrder", kTmf641}, so_id);
  // Resumed, the step runs again, fails again, and asks again.
  REQUIRE(post_json(c, kProductOrders + "/" + id + "/resume", json::object{}).status == 200);
  REQUIRE(eventually([&] { return outbox_count(p, id, "ProductOrderInformationRequiredEvent") == 2; }, 20s));
  CHECK(state_of(c, id) == "held");
}
