// The plan's stored form: plain JSON with the fields of plan.hpp, so that an operator reading
// GET /admin/ordering/plan/{orderId} sees the same names as the code.
#include "plan.hpp"

#include "json_fields.hpp"
#include "order_paths.hpp"

namespace tmfd::ordering {

namespace {

template <class T> T* by_id(std::vector<T>& items, const std::string& id) {
  for (auto& item : items)
    if (item.id == id) return &item;
  return nullptr;
}

json::object object_or_empty(const json::object& o, std::string_view key) {
  const auto* found = object_at(o, key);
  return found ? *found : json::object();
}

json::object step_json(const Step& s) {
  json::object o{{"id", s.id}, {"name", s.name}, {"executor", s.executor}, {"parameters", s.parameters},
                 {"after", to_array(s.after)}, {"owner", s.owner}, {"state", s.state}, {"attempts", s.attempts},
                 {"maxAttempts", s.max_attempts}, {"firstRetryMs", s.first_retry_ms}, {"output", s.output},
                 {"pointOfNoReturn", s.point_of_no_return}, {"holdOnFailure", s.hold_on_failure}};
  if (!s.error.empty()) o["error"] = s.error;
  return o;
}

Step step_from(const json::object& o) {
  Step s;
  s.id = text_at(o, "id");
  s.name = text_at(o, "name");
  s.executor = text_at(o, "executor");
  s.parameters = object_or_empty(o, "parameters");
  s.after = texts_at(o, "after");
  s.owner = text_at(o, "owner");
  s.state = text_at(o, "state");
  s.attempts = static_cast<int>(o.at("attempts").to_number<std::int64_t>());
  s.max_attempts = static_cast<int>(o.at("maxAttempts").to_number<std::int64_t>());
  s.first_retry_ms = o.at("firstRetryMs").to_number<std::int64_t>();
  s.error = text_at(o, "error");
  s.output = object_or_empty(o, "output");
  s.point_of_no_return = o.at("pointOfNoReturn").as_bool();
  s.hold_on_failure = o.at("holdOnFailure").as_bool();
  return s;
}

json::object resource_item_json(const ResourceItem& r) {
  json::object o{{"id", r.id}, {"serviceItem", r.service_item}, {"action", r.action}, {"specification", r.specification},
                 {"resourceId", r.resource_id}, {"state", r.state}};
  if (!r.requested.empty()) o["requested"] = r.requested;
  return o;
}

ResourceItem resource_item_from(const json::object& o) {
  return {text_at(o, "id"), text_at(o, "serviceItem"), text_at(o, "action"), object_or_empty(o, "specification"),
          text_at(o, "resourceId"), text_at(o, "state"), object_or_empty(o, "requested")};
}

json::object service_item_json(const ServiceItem& s) {
  json::object o{{"id", s.id}, {"productItem", s.product_item}, {"action", s.action}, {"specification", s.specification},
          {"customerFacing", s.customer_facing}, {"after", to_array(s.after)},
          {"resourceItems", to_array(s.resource_items)}, {"serviceId", s.service_id}, {"state", s.state}};
  if (!s.requested.empty()) o["requested"] = s.requested;
  return o;
}

ServiceItem service_item_from(const json::object& o) {
  ServiceItem s;
  s.id = text_at(o, "id");
  s.product_item = text_at(o, "productItem");
  s.action = text_at(o, "action");
  s.specification = object_or_empty(o, "specification");
  s.customer_facing = o.at("customerFacing").as_bool();
  s.after = texts_at(o, "after");
  s.resource_items = texts_at(o, "resourceItems");
  s.service_id = text_at(o, "serviceId");
  s.state = text_at(o, "state");
  s.requested = object_or_empty(o, "requested");
  return s;
}

json::object product_item_json(const ProductItem& p) {
  return {{"id", p.id}, {"action", p.action}, {"offering", p.offering}, {"specification", p.specification},
          {"productId", p.product_id}, {"parent", p.parent}, {"after", to_array(p.after)},
          {"serviceItems", to_array(p.service_items)}, {"state", p.state}};
}

ProductItem product_item_from(const json::object& o) {
  return {text_at(o, "id"), text_at(o, "action"), object_or_empty(o, "offering"), object_or_empty(o, "specification"),
          text_at(o, "productId"), text_at(o, "parent"), texts_at(o, "after"), texts_at(o, "serviceItems"),
          text_at(o, "state")};
}

template <class T, class F> json::array all(const std::vector<T>& items, F to) {
  json::array out;
  for (const auto& item : items) out.emplace_back(to(item));
  return out;
}

template <class T, class F> std::vector<T> all_from(const json::object& o, std::string_view key, F from) {
  std::vector<T> out;
  if (const auto* a = array_at(o, key))
    for (const auto& v : *a)
      if (v.is_object()) out.push_back(from(v.get_object()));
  return out;
}

} // namespace

Step* Plan::step(const std::string& step_id) { return by_id(steps, step_id); }
ResourceItem* Plan::resource_item(const std::string& item_id) { return by_id(resource_items, item_id); }
ServiceItem* Plan::service_item(const std::string& item_id) { return by_id(service_items, item_id); }
ProductItem* Plan::product_item(const std::string& item_id) { return by_id(product_items, item_id); }

std::string root_order_path(const Plan& plan) {
  if (plan.root == "serviceOrder") return kServiceOrders;
  if (plan.root == "resourceOrder") return kResourceOrders;
  return kProductOrders;
}

json::object to_json(const Plan& p) {
  json::object o{{"id", p.id},
                 {"root", p.root},
                 {"serviceOrderId", p.service_order_id},
                 {"resourceOrderId", p.resource_order_id},
                 {"processFlowId", p.process_flow_id},
                 {"state", p.state},
                 {"pastPointOfNoReturn", p.past_point_of_no_return},
                 {"jeopardyRaised", p.jeopardy_raised},
                 {"customer", p.customer},
                 {"productItems", all(p.product_items, product_item_json)},
                 {"serviceItems", all(p.service_items, service_item_json)},
                 {"resourceItems", all(p.resource_items, resource_item_json)},
                 {"steps", all(p.steps, step_json)}};
  if (!p.held_reason.empty()) o["heldReason"] = p.held_reason;
  return o;
}

Plan plan_from_json(const json::object& o) {
  Plan p;
  p.id = text_at(o, "id");
  if (auto root = text_at(o, "root"); !root.empty()) p.root = root;  // plans stored before direct orders: productOrder
  p.service_order_id = text_at(o, "serviceOrderId");
  p.resource_order_id = text_at(o, "resourceOrderId");
  p.process_flow_id = text_at(o, "processFlowId");
  p.state = text_at(o, "state");
  p.held_reason = text_at(o, "heldReason");
  p.past_point_of_no_return = o.at("pastPointOfNoReturn").as_bool();
  p.jeopardy_raised = o.at("jeopardyRaised").as_bool();
  if (const auto* c = o.if_contains("customer")) p.customer = *c;
  p.product_items = all_from<ProductItem>(o, "productItems", product_item_from);
  p.service_items = all_from<ServiceItem>(o, "serviceItems", service_item_from);
  p.resource_items = all_from<ResourceItem>(o, "resourceItems", resource_item_from);
  p.steps = all_from<Step>(o, "steps", step_from);
  return p;
}

} // namespace tmfd::ordering
