// kill -9 of the real binary while product orders are placed and fulfilled: after the restart,
// every order the server acknowledged (201) reaches a final state and completes, no pool value
// is allocated twice, and the inventory holds exactly what the completed orders made.
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <functional>
#include <optional>
#include <utility>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "ordering_support.hpp"
#include "timing.hpp"

using namespace tmfd::test;
using namespace tmfd::test::ordering;
using namespace std::chrono_literals;

namespace {

// Products each demo offering makes (a bundle: its two parts and itself).
const std::map<std::string, std::size_t> kProductsPerOffering = {
    {"po-fibre-1g", 1}, {"po-mobile-unlimited", 1}, {"po-home-bundle", 3}};

// The demo plans, with a durable one-second wait on the router so that orders are in flight
// (waiting on a timer) when the process dies.
std::string crash_plans() {
  std::string yaml = demo_ordering_yaml("10.20.0.0/20");
  const std::string router = "assign-router: {executor: generate, characteristic: serialNumber, pattern: \"CPE-{random}\"}\n";
  yaml.replace(yaml.find(router), router.size(),
               router + "          settle-router: {executor: wait, seconds: 1, after: [assign-router]}\n");
  return yaml;
}

// The addresses and numbers the resources in inventory hold, checked to be distinct; how many.
std::size_t pool_values_in_inventory(HttpClient& c) {
  std::set<std::string> values;
  std::size_t allocated = 0;
  for (const auto& r : as_array(c.get(kResources + "?fields=resourceCharacteristic&limit=10000"))) {
    for (const char* name : {"ipAddress", "msisdn"}) {
      auto v = characteristic(r.as_object(), "resourceCharacteristic", name);
      if (!v.is_string()) continue;
      ++allocated;
      CHECK(values.insert(std::string(v.as_string())).second);
    }
  }
  CHECK(allocated == values.size());
  return allocated;
}

// Places orders from two connections (`place(client, n)` posts the n-th and returns its id and a
// label, or nothing to stop) until at least `before_kill` are acknowledged and some of
// `in_flight` are not final yet, then kills the process with SIGKILL and restarts it. Returns the
// acknowledged orders: id -> label.
std::map<std::string, std::string> place_then_kill(
    TmfdProcess& p, std::size_t before_kill, const std::string& in_flight,
    const std::function<std::optional<std::pair<std::string, std::string>>(HttpClient&, int)>& place) {
  std::mutex mutex;
  std::map<std::string, std::string> acknowledged;
  std::atomic<bool> stop{false};
  auto client = [&](int seed) {
    try {
      HttpClient c(p.port());
      for (int i = seed; !stop; i += 2) {
        auto placed = place(c, i);
        if (!placed) break;  // refused: the process died under this request, or enough was placed
        std::lock_guard lock(mutex);
        acknowledged.insert(*placed);
      }
    } catch (const std::exception&) {
      // The connection broke when the process was killed: what was answered before counts.
    }
  };
  std::thread a(client, 0), b(client, 1);
  REQUIRE(eventually([&] {
    std::lock_guard lock(mutex);
    return acknowledged.size() >= before_kill;
  }, 30s));
  {
    // Some orders are in flight at the moment of the kill: not started yet, or waiting on a timer.
    HttpClient probe(p.port());
    CHECK(total_count(probe, in_flight, "state=acknowledged,inProgress") > 0);
  }
  ::kill(p.pid(), SIGKILL);
  stop = true;
  a.join();
  b.join();
  p.restart();
  return acknowledged;
}

} // namespace

TEST_CASE("kill -9 mid-load: every acknowledged order completes after the restart, nothing allocated twice",
          "[ordering][durability]") {
  TmfdProcess p(ordering_options(crash_plans()));
  json::object customer;
  {
    HttpClient c(p.port());
    customer = new_customer(c);
  }
  // Let orders pile up, some completed, some waiting on their timer, some being placed.
  const auto acknowledged = place_then_kill(  // order id -> offering
      p, 60, kProductOrders, [&](HttpClient& c, int i) -> std::optional<std::pair<std::string, std::string>> {
        const char* offerings[] = {"po-fibre-1g", "po-mobile-unlimited", "po-home-bundle"};
        const char* offering = offerings[i % 3];
        auto r = post_json(c, kProductOrders, order_of(customer, {offering}));
        if (r.status != 201) return std::nullopt;
        return std::make_pair(id_of(r), std::string(offering));
      });
  HttpClient c(p.port());

  // Every acknowledged order completes.
  for (const auto& [id, offering] : acknowledged) {
    INFO("order " << id << " (" << offering << ")");
    CHECK(wait_for_state(c, id, "completed", 30s));
  }
  // Orders whose answer was lost with the process may exist: they complete too.
  REQUIRE(eventually([&] { return total_count(c, kProductOrders, "state=completed") == total_count(c, kProductOrders); }, 30s));
  const std::size_t orders = total_count(c, kProductOrders);
  CHECK(orders >= acknowledged.size());

  // The inventory holds what the completed orders made, once each.
  std::size_t expected_products = 0;
  for (const auto& o : as_array(c.get(kProductOrders + "?fields=productOrderItem&limit=1000"))) {
    const auto offering = str(o.at("productOrderItem").as_array()[0].at("productOffering").as_object(), "id");
    expected_products += kProductsPerOffering.at(offering);
    const auto id = str(o.as_object(), "id");
    CHECK(total_count(c, kProducts, "productOrderItem.productOrderId=" + url_encode(id)) == kProductsPerOffering.at(offering));
  }
  CHECK(total_count(c, kProducts) == expected_products);
  // No address or number twice, and every one recorded as allocated.
  const std::size_t allocated = pool_values_in_inventory(c);
  CHECK(total_count(c, "/admin/ordering/allocation") == allocated);
  // Each order has one process flow, and every task flow finished.
  CHECK(total_count(c, kProcessFlows) == orders);
  CHECK(total_count(c, kProcessFlows, "state=completed") == orders);
}

TEST_CASE("kill -9 while service and resource orders posted directly are fulfilled: each completes after the restart",
          "[ordering][durability][direct-orders]") {
  TmfdProcess p(ordering_options(crash_plans()));
  std::atomic<std::size_t> placed{0};
  const auto acknowledged = place_then_kill(  // order id -> its collection
      p, 40, kServiceOrders, [&](HttpClient& c, int i) -> std::optional<std::pair<std::string, std::string>> {
        if (placed >= 80) return std::nullopt;  // the number pool has 100
        // Internet access waits a second on its router (settle-router); an address and a number do not.
        const bool service = i % 2 == 0;
        const json::object body =
            service ? json::object{{"serviceOrderItem",
                                    json::array{json::object{{"id", "1"}, {"action", "add"},
                                                             {"service", json::object{{"serviceSpecification", json::object{{"id", "ss-internet-access"}}}}}}}}}
                    : json::object{{"orderItem", json::array{json::object{{"id", "1"}, {"action", "add"}, {"resourceSpecification", json::object{{"id", "rs-ipv4-address"}}}},
                                                             json::object{{"id", "2"}, {"action", "add"}, {"resourceSpecification", json::object{{"id", "rs-msisdn"}}}}}}};
        const std::string path = service ? kServiceOrders : kResourceOrders;
        auto r = post_json(c, path, body);
        if (r.status != 201) return std::nullopt;
        ++placed;
        return std::make_pair(id_of(r), path);
      });
  HttpClient c(p.port());

  for (const auto& [id, path] : acknowledged) {
    INFO(path << "/" << id);
    CHECK(eventually([&, id = id, path = path] { return str(get_object(c, path + "/" + id), "state") == "completed"; }, 30s));
  }
  // Orders whose answer was lost with the process complete too; the resource orders the service
  // orders made are among the resource orders.
  REQUIRE(eventually([&] {
    return total_count(c, kServiceOrders, "state=completed") == total_count(c, kServiceOrders) &&
           total_count(c, kResourceOrders, "state=completed") == total_count(c, kResourceOrders);
  }, 30s));
  const std::size_t service_orders = total_count(c, kServiceOrders);
  // One flow per order posted (a service order's resource order has none of its own).
  const std::size_t direct_resource_orders = total_count(c, kResourceOrders) - service_orders;
  CHECK(total_count(c, kProcessFlows) == service_orders + direct_resource_orders);
  CHECK(total_count(c, kProcessFlows, "state=completed") == service_orders + direct_resource_orders);
  // Three services per service order, made once each.
  CHECK(total_count(c, kServices) == 3 * service_orders);
  // No address or number twice, and every one recorded as allocated.
  const std::size_t allocated = pool_values_in_inventory(c);
  CHECK(allocated == service_orders + 2 * direct_resource_orders);
  CHECK(total_count(c, "/admin/ordering/allocation") == allocated);
}
