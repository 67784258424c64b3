#include "ordering_support.hpp"

#include <catch2/catch.hpp>

#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "timing.hpp"

namespace tmfd::test::ordering {

std::string demo_ordering_yaml(const std::string& pool_cidr, const std::string& static_ip_steps, const std::string& extra) {
  return "  ordering:\n    enabled: true\n" + extra +
         "    pools:\n"
         "      demo-ipv4: {cidr: " + pool_cidr + "}\n"
         "      demo-msisdn: {first: \"447700000000\", last: \"447700000099\"}\n"
         "    plans:\n"
         "      rs-fibre-access-line:\n        steps:\n"
         "          assign-line: {executor: generate, characteristic: lineId, pattern: \"FL-{random}\"}\n"
         "      rs-cpe-router:\n        steps:\n"
         "          assign-router: {executor: generate, characteristic: serialNumber, pattern: \"CPE-{random}\"}\n"
         "      rs-ipv4-address:\n        steps:\n"
         "          allocate-address: {executor: allocate, pool: demo-ipv4, characteristic: ipAddress, max_attempts: 2, retry_ms: 20}\n"
         "      rs-msisdn:\n        steps:\n"
         "          allocate-msisdn: {executor: allocate, pool: demo-msisdn, characteristic: msisdn}\n"
         "      rs-sim-card:\n        steps:\n"
         "          assign-sim: {executor: generate, characteristic: iccid, pattern: \"894400{random}\"}\n"
         "      ss-static-ip:\n        steps:\n" + static_ip_steps;
}

TmfdOptions ordering_options(const std::string& ordering_yaml) {
  TmfdOptions o;
  o.full_yaml = TmfdProcess::default_yaml("$DIR", true) +
                "  catalog:\n    enabled: true\n    demo_catalog: " TMFD_SOURCE_DIR "/config/demo-catalog.json\n"
                "  inventory:\n    enabled: true\n" + ordering_yaml;
  return o;
}

TmfdOptions ordering_options_with_hubs(const std::string& ordering_yaml) {
  TmfdOptions o = ordering_options(ordering_yaml);
  o.full_yaml += "  event:\n    enabled: true\n"
                 "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n";
  return o;
}

json::object new_customer(HttpClient& c) {
  auto r = post_json(c, kIndividuals, individual("Ada", "Lovelace"));
  REQUIRE(r.status == 201);
  return json::object{{"id", id_of(r)}, {"role", "customer"}, {"@referredType", "Individual"}};
}

json::object order_of(const json::object& customer, std::initializer_list<const char*> offerings) {
  json::array items;
  int n = 0;
  for (const char* offering : offerings)
    items.push_back(json::object{{"id", std::to_string(++n)}, {"action", "add"},
                                 {"productOffering", json::object{{"id", offering}}}});
  return json::object{{"relatedParty", json::array{customer}}, {"productOrderItem", std::move(items)}};
}

json::object place(HttpClient& c, const json::object& order) {
  auto r = post_json(c, kProductOrders, order);
  INFO(r.body);
  return require_object(r, 201, "POST productOrder");
}

json::object get_object(HttpClient& c, const std::string& path) {
  auto r = c.get(path);
  INFO(path << ": " << r.body);
  return require_object(r, 200, "GET " + path);
}

std::string state_of(HttpClient& c, const std::string& order_id) {
  return str(get_object(c, kProductOrders + "/" + order_id), "state");
}

bool wait_for_state(HttpClient& c, const std::string& order_id, const std::string& state, std::chrono::milliseconds limit) {
  return eventually([&] { return state_of(c, order_id) == state; }, limit);
}

json::object process_flow_of(HttpClient& c, const std::string& order_id) {
  json::array flows;
  eventually([&] {
    flows = as_array(c.get(kProcessFlows + "?relatedEntity.id=" + url_encode(order_id)));
    return !flows.empty();
  }, std::chrono::seconds(20));
  REQUIRE(flows.size() == 1);
  return flows.front().as_object();
}

json::array task_flows_of(HttpClient& c, const std::string& flow_id, const std::string& query) {
  auto r = c.get(kProcessFlows + "/" + flow_id + "/taskFlow" + (query.empty() ? "" : "?" + query));
  INFO(r.body);
  REQUIRE(r.status == 200);
  return as_array(r);
}

std::pair<std::string, json::object> waiting_task(HttpClient& c, const std::string& order_id) {
  const auto flow = process_flow_of(c, order_id);
  json::array active;
  REQUIRE(eventually([&] {
    active = task_flows_of(c, str(flow, "id"), "state=active");
    return active.size() == 1;
  }, std::chrono::seconds(20)));
  return {str(flow, "id"), active.front().as_object()};
}

json::value characteristic(const json::object& entity, const std::string& array, const std::string& name) {
  if (const auto* a = entity.if_contains(array); a && a->is_array())
    for (const auto& c : a->get_array())
      if (c.is_object() && str(c.get_object(), "name") == name) return c.get_object().at("value");
  return nullptr;
}

} // namespace tmfd::test::ordering
