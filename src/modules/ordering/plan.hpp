#pragma once
// The fulfilment plan of one product order: what the order decomposed into (service and resource
// order items), the steps that fulfil them, and how far each got. It is the orchestrator's own
// state, stored as the internal kind /ordering/plan (id = the product order's id) and changed only
// in units of work, together with the orders, taskFlows and inventory it drives; the TMF resources
// are its public view.
#include <optional>
#include <string>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd::ordering {

// One step of a plan, shown as a TMF701 taskFlow (same id).
struct Step {
  std::string id;             // the taskFlow's id
  std::string name;           // as the plan configuration names it
  std::string executor;       // allocate, generate, wait, http, manual, or a plugin's
  json::object parameters;    // the step's configuration (pool, characteristic, seconds, ...)
  std::vector<std::string> after;  // ids of steps that must complete first
  std::string owner;          // the item it fulfils: resource_owner(id) or service_owner(id)
  std::string state = "new";  // new, active, completed, failed, cancelled
  int attempts = 0;
  int max_attempts = 3;
  std::int64_t first_retry_ms = 200;
  std::string error;          // the last failure
  json::object output;        // characteristic name -> value the step produced
  bool point_of_no_return = false;  // completing it passes the order's point of no return
  bool hold_on_failure = false;     // failing after retries holds the order instead of failing it
};

// A TMF652 resource order item (and the TMF639 resource it makes, changes or ends).
struct ResourceItem {
  std::string id;             // item id in the resource order
  std::string service_item;   // the service item it supports
  std::string action;         // add, modify, delete, noChange
  json::object specification; // {id, name, href} of the resource specification
  std::string resource_id;    // the inventory resource, once known
  std::string state = "inProgress";
  json::object requested;     // characteristic name -> value the client asked for (an order posted directly)
};

// A TMF641 service order item (and the TMF638 service).
struct ServiceItem {
  std::string id;
  std::string product_item;
  std::string action;
  json::object specification;
  bool customer_facing = true;      // a CFS realizes the product; the others support a CFS
  std::vector<std::string> after;   // service items this one depends on (serviceSpecRelationship)
  std::vector<std::string> resource_items;
  std::string service_id;
  std::string state = "inProgress";
  json::object requested;     // characteristic name -> value the client asked for (an order posted directly)
};

// A TMF622 product order item, as the plan tracks it.
struct ProductItem {
  std::string id;             // the order's productOrderItem id
  std::string action;
  json::object offering;      // {id, name, href}
  json::object specification; // {id, name, href} of the product specification, when any
  std::string product_id;     // the product in inventory: given for modify/delete/suspend/resume
  std::string parent;         // the bundle item this one is part of
  std::vector<std::string> after;          // product items that must complete first
  std::vector<std::string> service_items;
  std::string state = "inProgress";
};

struct Plan {
  std::string id;                   // = the id of the order it fulfils (its root)
  // What the client ordered: a productOrder (decomposed down to resources), or a serviceOrder or
  // resourceOrder posted directly (direct_orders.cpp): then id = service_order_id or
  // resource_order_id, and the plan has no product items.
  std::string root = "productOrder";
  std::string service_order_id;     // empty when the order needs no service order
  std::string resource_order_id;
  std::string process_flow_id;
  std::string state = "running";    // running, held, completed, failed, partial, cancelled
  std::string held_reason;
  bool past_point_of_no_return = false;
  bool jeopardy_raised = false;
  json::value customer;             // the order's customer reference (relatedParty), or null
  std::vector<ProductItem> product_items;
  std::vector<ServiceItem> service_items;
  std::vector<ResourceItem> resource_items;
  std::vector<Step> steps;
  // Not stored: steps whose failure held the order in this unit of work, for sync_views to
  // announce (information required: a person must fix the cause and resume).
  std::vector<std::string> held_by_steps;

  Step* step(const std::string& id);
  ResourceItem* resource_item(const std::string& id);
  ServiceItem* service_item(const std::string& id);
  ProductItem* product_item(const std::string& id);
};

// The collection of the plan's root order.
std::string root_order_path(const Plan& plan);

inline std::string resource_owner(const std::string& item_id) { return "resource:" + item_id; }
inline std::string service_owner(const std::string& item_id) { return "service:" + item_id; }

json::object to_json(const Plan& plan);
Plan plan_from_json(const json::object& stored);

} // namespace tmfd::ordering
