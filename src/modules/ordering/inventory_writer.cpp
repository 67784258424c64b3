#include "inventory_writer.hpp"

#include <functional>
#include <stdexcept>

#include <tmfd/query.hpp>

#include "json_fields.hpp"
#include "order_paths.hpp"
#include "pools.hpp"

namespace tmfd::ordering {

namespace {

json::object written(const ChangeResult& r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error("ordering: inventory " + what + " refused: " + r.error->detail());
  return r.resource();
}

json::array parties_of(const Plan& plan) {
  json::array parties;
  if (plan.customer.is_object()) {
    json::object customer = plan.customer.get_object();
    if (text_at(customer, "role").empty()) customer["role"] = "customer";
    parties.push_back(std::move(customer));
  }
  return parties;
}

// Characteristics as name/value pairs, the later ones replacing the earlier of the same name.
json::array merged_characteristics(const json::array* current, const json::object& values) {
  json::array out = current ? *current : json::array();
  for (const auto& [name, value] : values) {
    bool replaced = false;
    for (auto& c : out)
      if (c.is_object() && text_at(c.get_object(), "name") == name) {
        c.get_object()["value"] = value;
        replaced = true;
      }
    if (!replaced) out.push_back(json::object{{"name", name}, {"value", value}});
  }
  return out;
}

// What the item's steps produced, by characteristic name.
json::object outputs_of(const Plan& plan, const std::string& owner) {
  json::object out;
  for (const auto& s : plan.steps)
    if (s.owner == owner && s.state == "completed")
      for (const auto& [k, v] : s.output) out[k] = v;
  return out;
}

// What the client asked for, then what the item's steps produced (a step's value wins).
json::object requested_then_outputs(const json::object& requested, json::object outputs) {
  json::object out = requested;
  for (auto& [k, v] : outputs) out[k] = std::move(v);
  return out;
}

json::object load(UnitOfWork& work, const std::string& path, const std::string& id) {
  auto stored = work.get(path, id);
  if (!stored) throw std::runtime_error("ordering: " + path + "/" + id + " is gone from inventory");
  return parse_object(stored->body);
}

// Moves a status along the given states, one write each (the inventories check their lifecycles).
void move_status(UnitOfWork& work, const std::string& path, const std::string& id, const char* field,
                 std::initializer_list<const char*> states, json::object last_fields = {}) {
  const auto current = load(work, path, id);
  const std::string from = text_at(current, field);
  // The states after the current one (all of them when it is none of them).
  std::vector<std::string> todo;
  for (const char* s : states) {
    if (from == s) {
      todo.clear();
      continue;
    }
    todo.emplace_back(s);
  }
  for (std::size_t i = 0; i < todo.size(); ++i) {
    json::object patch{{field, todo[i]}};
    if (i + 1 == todo.size())
      for (const auto& [k, v] : last_fields) patch[k] = v;
    written(work.merge_patch(path, id, std::move(patch)), path + "/" + id);
  }
}

} // namespace

void release_allocations(const json::object& resource, UnitOfWork& work, const FulfilmentConfig& config) {
  const auto* spec = object_at(resource, "resourceSpecification");
  if (!spec) return;
  auto plan = config.plans.find(text_at(*spec, "id"));
  if (plan == config.plans.end()) return;
  const auto* characteristics = array_at(resource, "resourceCharacteristic");
  if (!characteristics) return;
  for (const auto& step : plan->second) {
    if (step.executor != "allocate") continue;
    const std::string name = text_at(step.parameters, "characteristic");
    for (const auto& c : *characteristics)
      if (c.is_object() && text_at(c.get_object(), "name") == name) {
        const auto* value = c.get_object().if_contains("value");
        if (value && value->is_string()) release(work, text_at(step.parameters, "pool"), std::string(value->get_string()));
      }
  }
}

std::string resource_type_of(const catalog::CatalogQuery& catalog, const json::object& specification) {
  const std::string id = text_at(specification, "id");
  if (id.empty()) return {};
  const auto spec = catalog.resource_specification(id);
  if (!spec) return {};
  const std::string type = text_at(*spec, "@type");
  if (type == "PhysicalResourceSpecification") return "PhysicalResource";
  if (type == "LogicalResourceSpecification") return "LogicalResource";
  return {};
}

void write_resource(Plan& plan, ResourceItem& item, UnitOfWork& work, const FulfilmentConfig& config,
                    const std::string& type) {
  const auto values = requested_then_outputs(item.requested, outputs_of(plan, resource_owner(item.id)));
  const std::string now = now_timestamp();
  if (item.action == "add") {
    json::object body{{"name", text_at(item.specification, "name").empty() ? std::string("resource")
                                                                             : text_at(item.specification, "name")},
                      {"resourceSpecification", item.specification},
                      {"resourceStatus", "available"},
                      {"administrativeState", "unlocked"},
                      {"operationalState", "enable"},
                      {"usageState", "active"},
                      {"startOperatingDate", now},
                      {"resourceCharacteristic", merged_characteristics(nullptr, values)}};
    if (auto parties = parties_of(plan); !parties.empty()) body["relatedParty"] = std::move(parties);
    if (!type.empty()) body["@type"] = type;
    item.resource_id = text_at(written(work.create(kResources, std::move(body)), "resource"), "id");
    return;
  }
  if (item.resource_id.empty()) return;
  auto current = load(work, kResources, item.resource_id);
  if (item.action == "modify") {
    if (!values.empty())
      written(work.merge_patch(kResources, item.resource_id,
                               json::object{{"resourceCharacteristic",
                                             merged_characteristics(array_at(current, "resourceCharacteristic"), values)}}),
              "resource");
  } else if (item.action == "delete") {
    release_allocations(current, work, config);
    written(work.merge_patch(kResources, item.resource_id,
                             json::object{{"administrativeState", "locked"}, {"operationalState", "disable"},
                                          {"usageState", "idle"}, {"endOperatingDate", now}}),
            "resource");
  } else if (item.action == "suspend") {
    written(work.merge_patch(kResources, item.resource_id, json::object{{"resourceStatus", "suspended"}}), "resource");
  } else if (item.action == "resume") {
    written(work.merge_patch(kResources, item.resource_id, json::object{{"resourceStatus", "available"}}), "resource");
  }
}

void write_service(Plan& plan, ServiceItem& item, UnitOfWork& work) {
  const auto values = requested_then_outputs(item.requested, outputs_of(plan, service_owner(item.id)));
  const std::string now = now_timestamp();
  if (item.action == "add") {
    json::array supporting_resources, supporting_services;
    for (const auto& rid : item.resource_items)
      if (const auto* r = plan.resource_item(rid); r && !r->resource_id.empty())
        supporting_resources.push_back(reference(r->resource_id, kResources + "/" + r->resource_id,
                                                 text_at(r->specification, "name"), "Resource"));
    for (const auto& sid : item.after)
      if (const auto* s = plan.service_item(sid); s && !s->service_id.empty())
        supporting_services.push_back(reference(s->service_id, kServices + "/" + s->service_id,
                                                text_at(s->specification, "name"), "Service"));
    json::object body{{"name", text_at(item.specification, "name")},
                      {"serviceSpecification", item.specification},
                      {"state", "active"},
                      {"isServiceEnabled", true},
                      {"hasStarted", true},
                      {"startDate", now},
                      {"serviceOrderItem", json::array{json::object{{"serviceOrderId", plan.service_order_id},
                                                                    {"itemId", item.id},
                                                                    {"itemAction", "add"},
                                                                    {"role", "fulfilledBy"}}}}};
    if (!values.empty()) body["serviceCharacteristic"] = merged_characteristics(nullptr, values);
    if (!supporting_resources.empty()) body["supportingResource"] = std::move(supporting_resources);
    if (!supporting_services.empty()) body["supportingService"] = std::move(supporting_services);
    if (auto parties = parties_of(plan); !parties.empty()) body["relatedParty"] = std::move(parties);
    item.service_id = text_at(written(work.create(kServices, std::move(body)), "service"), "id");
    return;
  }
  if (item.service_id.empty()) return;
  if (item.action == "delete") {
    move_status(work, kServices, item.service_id, "state", {"terminated"}, json::object{{"endDate", now}});
  } else if (item.action == "suspend") {
    move_status(work, kServices, item.service_id, "state", {"inactive"});
  } else if (item.action == "resume") {
    move_status(work, kServices, item.service_id, "state", {"active"});
  } else if (item.action == "modify" && !values.empty()) {
    auto current = load(work, kServices, item.service_id);
    written(work.merge_patch(kServices, item.service_id,
                             json::object{{"serviceCharacteristic",
                                           merged_characteristics(array_at(current, "serviceCharacteristic"), values)}}),
            "service");
  }
}

void write_product(Plan& plan, ProductItem& item, UnitOfWork& work) {
  const auto order = load(work, kProductOrders, plan.id);
  // The order item as the client sent it (top level, or nested in a bundle item).
  json::object order_item;
  std::function<void(const json::array&)> find = [&](const json::array& items) {
    for (const auto& v : items) {
      if (!v.is_object()) continue;
      if (text_at(v.get_object(), "id") == item.id) order_item = v.get_object();
      if (const auto* nested = array_at(v.get_object(), "productOrderItem")) find(*nested);
    }
  };
  if (const auto* items = array_at(order, "productOrderItem")) find(*items);
  const json::object* requested = object_at(order_item, "product");
  const std::string now = now_timestamp();

  if (item.action == "add") {
    json::array realizing_services, realizing_resources, bundled;
    for (const auto& sid : item.service_items)
      if (const auto* s = plan.service_item(sid); s && s->customer_facing && !s->service_id.empty())
        realizing_services.push_back(reference(s->service_id, kServices + "/" + s->service_id,
                                               text_at(s->specification, "name"), "Service"));
    for (const auto& p : plan.product_items)
      if (p.parent == item.id && !p.product_id.empty())
        bundled.push_back(json::object{{"relationshipType", "bundles"},
                                       {"product", reference(p.product_id, kProducts + "/" + p.product_id,
                                                             text_at(p.offering, "name"), "Product")}});
    json::object body{{"name", text_at(item.offering, "name").empty() ? text_at(item.offering, "id")
                                                                       : text_at(item.offering, "name")},
                      {"productOffering", item.offering},
                      {"status", "active"},
                      {"isBundle", !bundled.empty()},
                      {"startDate", now},
                      {"orderDate", text_at(order, "orderDate").empty() ? now : text_at(order, "orderDate")},
                      {"productOrderItem", json::array{json::object{{"productOrderId", plan.id},
                                                                    {"productOrderHref", text_at(order, "href")},
                                                                    {"orderItemId", item.id},
                                                                    {"orderItemAction", "add"},
                                                                    {"role", "fulfilledBy"}}}}};
    if (!item.specification.empty()) body["productSpecification"] = item.specification;
    if (requested) {
      for (const char* key : {"productCharacteristic", "place", "description"})
        if (const auto* v = requested->if_contains(key)) body[key] = *v;
    }
    if (const auto* account = order_item.if_contains("billingAccount")) body["billingAccount"] = *account;
    else if (const auto* accounts = array_at(order, "billingAccount"); accounts && !accounts->empty()) body["billingAccount"] = accounts->front();
    if (!realizing_services.empty()) body["realizingService"] = std::move(realizing_services);
    if (!realizing_resources.empty()) body["realizingResource"] = std::move(realizing_resources);
    if (!bundled.empty()) body["productRelationship"] = std::move(bundled);
    if (auto parties = parties_of(plan); !parties.empty()) body["relatedParty"] = std::move(parties);
    item.product_id = text_at(written(work.create(kProducts, std::move(body)), "product"), "id");
    return;
  }
  if (item.product_id.empty()) return;
  json::object order_ref{{"productOrderId", plan.id}, {"orderItemId", item.id}, {"orderItemAction", item.action},
                         {"role", "changedBy"}};
  auto current = load(work, kProducts, item.product_id);
  json::array order_items = array_at(current, "productOrderItem") ? *array_at(current, "productOrderItem") : json::array();
  order_items.push_back(order_ref);
  if (item.action == "delete") {
    move_status(work, kProducts, item.product_id, "status", {"pendingTerminate", "terminated"},
                json::object{{"terminationDate", now}, {"productOrderItem", order_items}});
  } else if (item.action == "suspend") {
    move_status(work, kProducts, item.product_id, "status", {"suspended"}, json::object{{"productOrderItem", order_items}});
  } else if (item.action == "resume") {
    move_status(work, kProducts, item.product_id, "status", {"active"}, json::object{{"productOrderItem", order_items}});
  } else if (item.action == "modify") {
    json::object patch{{"productOrderItem", order_items}};
    if (requested)
      if (const auto* chars = array_at(*requested, "productCharacteristic")) {
        json::object values;
        for (const auto& c : *chars)
          if (c.is_object())
            if (const auto* v = c.get_object().if_contains("value")) values[text_at(c.get_object(), "name")] = *v;
        patch["productCharacteristic"] = merged_characteristics(array_at(current, "productCharacteristic"), values);
      }
    written(work.merge_patch(kProducts, item.product_id, std::move(patch)), "product");
  }
}

} // namespace tmfd::ordering
