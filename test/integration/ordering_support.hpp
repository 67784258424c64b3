#pragma once
// Shared by the ordering tests: a tmfd with the catalog (demo catalog), party, inventory and
// ordering modules, the demo plans (or others), and helpers to place orders and follow them.
#include <chrono>
#include <string>

#include <boost/json.hpp>

#include "http_client.hpp"
#include "tmfd_process.hpp"

namespace tmfd::test::ordering {

namespace json = boost::json;

inline const std::string kPoBase = "/tmf-api/productOrderingManagement/v4";
inline const std::string kProductOrders = kPoBase + "/productOrder";
inline const std::string kCancelProductOrders = kPoBase + "/cancelProductOrder";
inline const std::string kServiceOrders = "/tmf-api/serviceOrdering/v4/serviceOrder";
inline const std::string kCancelServiceOrders = "/tmf-api/serviceOrdering/v4/cancelServiceOrder";
inline const std::string kResourceOrders = "/tmf-api/resourceOrderingManagement/v4/resourceOrder";
inline const std::string kProcessFlows = "/tmf-api/processFlowManagement/v4/processFlow";
inline const std::string kProducts = "/tmf-api/productInventory/v4/product";
inline const std::string kServices = "/tmf-api/serviceInventory/v4/service";
inline const std::string kResourceInventoryBase = "/tmf-api/resourceInventoryManagement/v4";
inline const std::string kResources = kResourceInventoryBase + "/resource";

// The demo plans of config/tmfd.yaml (as a modules.ordering block), with `pool_cidr` for the IPv4
// pool, `static_ip_steps` as the static IP service's steps (YAML lines at the depth of its steps),
// and `extra` lines of module keys (e.g. "    point_of_no_return: inProgress\n").
std::string demo_ordering_yaml(const std::string& pool_cidr = "100.64.0.0/10", const std::string& static_ip_steps =
                                   "          configure-routing: {executor: manual}\n",
                               const std::string& extra = "");

// A tmfd with catalog (demo), party, inventory and `ordering_yaml` (the whole modules.ordering block).
TmfdOptions ordering_options(const std::string& ordering_yaml = demo_ordering_yaml());

// ordering_options, with the TMF688 event module and hub callbacks to 127.0.0.1 allowed (for tests
// that register hubs with a CallbackReceiver).
TmfdOptions ordering_options_with_hubs(const std::string& ordering_yaml = demo_ordering_yaml());

// A new individual, as a customer reference {id, role: customer, @referredType: Individual}.
json::object new_customer(HttpClient& c);

// A product order body: the customer and one `add` item per offering id (items "1", "2", ...).
json::object order_of(const json::object& customer, std::initializer_list<const char*> offerings);

// POSTs the order, REQUIREs 201, returns the created order.
json::object place(HttpClient& c, const json::object& order);

json::object get_object(HttpClient& c, const std::string& path);
std::string state_of(HttpClient& c, const std::string& order_id);
// Waits (up to `limit`) until the product order is in `state`; returns whether it got there.
bool wait_for_state(HttpClient& c, const std::string& order_id, const std::string& state,
                    std::chrono::milliseconds limit = std::chrono::seconds(20));

// The order's process flow (found through its relatedEntity).
json::object process_flow_of(HttpClient& c, const std::string& order_id);
json::array task_flows_of(HttpClient& c, const std::string& flow_id, const std::string& query = {});
// The active task flow of an order (a manual step waiting), waited for; with its process flow id.
std::pair<std::string, json::object> waiting_task(HttpClient& c, const std::string& order_id);
// The value of a characteristic in a name/value array, or null.
json::value characteristic(const json::object& entity, const std::string& array, const std::string& name);

} // namespace tmfd::test::ordering
