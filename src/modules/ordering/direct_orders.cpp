#include "direct_orders.hpp"

#include <cctype>
#include <functional>
#include <map>
#include <set>

#include <tmfd/error.hpp>
#include <tmfd/query.hpp>

#include "decompose.hpp"
#include "json_fields.hpp"
#include "order_lifecycles.hpp"
#include "order_paths.hpp"
#include "orchestrator.hpp"
#include "views.hpp"

namespace tmfd::ordering {

namespace {

const std::set<std::string> kOrderActions = {"add", "modify", "delete", "noChange"};

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string label(const char* items_key, const std::string& id, const std::string& rest) {
  return std::string(items_key) + "[id=" + id + "]" + (rest.empty() ? "" : "." + rest);
}

// Items with a known action; returns their ids.
std::set<std::string> check_items(const json::object& order, const char* items_key) {
  const auto* items = array_at(order, items_key);
  if (!items || items->empty()) throw ApiError::missing_attribute(items_key);
  std::set<std::string> ids;
  for (const auto& v : *items) {
    const auto& item = v.get_object();  // check_new_child_order checked the shape
    const auto id = text_at(item, "id");
    const auto action = text_at(item, "action");
    if (action.empty()) throw ApiError::missing_attribute(label(items_key, id, "action"));
    if (!kOrderActions.contains(action)) throw ApiError::invalid_attribute(label(items_key, id, "action"), "must be add, modify, delete or noChange");
    ids.insert(id);
  }
  return ids;
}

// An inventory record a modify or delete item acts on: it exists and is not ended.
void check_existing(const StoredReader& read, const std::string& path, const std::string& id, const std::string& noun,
                    const char* status_field, const char* ended) {
  const auto stored = read(path, id);
  if (!stored) throw ApiError(422, "UNKNOWN_" + upper(noun), "Unknown " + noun, noun + " '" + id + "' is not in inventory");
  if (text_at(parse_object(stored->body), status_field) == ended)
    throw ApiError(422, "NOT_ACTIVE", "Not active", noun + " '" + id + "' is " + ended + " already");
}

// serviceOrderItemRelationship (dependsOn and the like) must name items of the order, without loops.
void check_item_dependencies(const json::array& items, const std::set<std::string>& ids) {
  std::map<std::string, std::vector<std::string>> after;
  for (const auto& v : items) {
    const auto& item = v.get_object();
    const auto id = text_at(item, "id");
    const auto* rels = array_at(item, "serviceOrderItemRelationship");
    if (!rels) continue;
    for (const auto& r : *rels) {
      const auto* other = r.is_object() ? object_at(r.get_object(), "orderItem") : nullptr;
      std::string other_id = other ? text_at(*other, "itemId") : std::string();
      if (other && other_id.empty()) other_id = text_at(*other, "id");
      if (!ids.contains(other_id) || other_id == id)
        throw ApiError::invalid_attribute(label("serviceOrderItem", id, "serviceOrderItemRelationship"),
                                          "must name another item of this order ('" + other_id + "' is not one)");
      after[id].push_back(other_id);
    }
  }
  std::map<std::string, int> mark;  // 1: on the path, 2: done
  std::function<void(const std::string&)> visit = [&](const std::string& id) {
    if (mark[id] == 2) return;
    if (mark[id] == 1)
      throw ApiError::invalid_attribute(label("serviceOrderItem", id, "serviceOrderItemRelationship"), "forms a loop");
    mark[id] = 1;
    for (const auto& next : after[id]) visit(next);
    mark[id] = 2;
  };
  for (const auto& id : ids) visit(id);
}

// The specification of what an item acts on: named in the order (add) or stored in inventory.
std::string specification_of(const json::object* named, const StoredReader& read, const std::string& path,
                             const std::string& id, const char* spec_key) {
  if (named)
    if (const auto* spec = object_at(*named, spec_key); spec && !text_at(*spec, "id").empty()) return text_at(*spec, "id");
  if (id.empty()) return {};
  const auto stored = read(path, id);
  if (!stored) return {};
  const auto body = parse_object(stored->body);
  const auto* spec = object_at(body, spec_key);
  return spec ? text_at(*spec, "id") : std::string();
}

void check_not_allocated(const AllocatedCharacteristics& allocated, const std::string& spec_id, const json::object* entity,
                         const char* key, const std::string& where) {
  const auto names = allocated.find(spec_id);
  if (!entity || names == allocated.end()) return;
  if (const auto* list = array_at(*entity, key))
    for (const auto& c : *list)
      if (c.is_object() && names->second.contains(text_at(c.get_object(), "name")))
        throw ApiError(422, "ALLOCATED_CHARACTERISTIC", "Characteristic set by a pool",
                       where + "." + key + ": '" + text_at(c.get_object(), "name") + "' of " + spec_id +
                           " is allocated from a pool by its plan and cannot be set by an order");
}

// A directly posted order that cannot be decomposed any more (its specification left the catalog
// since it was accepted): it fails, with why in a note.
void fail_order(UnitOfWork& work, const std::string& path, const std::string& id, const std::string& why) {
  const char* items_key = path == kServiceOrders ? "serviceOrderItem" : "orderItem";
  for (const char* state : {"inProgress", "failed"}) {
    auto order = parse_object(work.get(path, id)->body);
    json::array items = array_at(order, items_key) ? *array_at(order, items_key) : json::array();
    for (auto& i : items) i.get_object()["state"] = state;
    json::object patch{{"state", state}, {items_key, std::move(items)}};
    if (std::string(state) == "failed") patch["completionDate"] = now_timestamp();
    if (!work.merge_patch(path, id, std::move(patch)).ok()) throw std::runtime_error("ordering: could not fail order " + id);
  }
  note_on(work, path, id, why);
}

} // namespace

AllocatedCharacteristics allocated_characteristics(const FulfilmentConfig& config) {
  AllocatedCharacteristics out;
  for (const auto& [spec, steps] : config.plans)
    for (const auto& step : steps)
      if (step.executor == "allocate") out[spec].insert(text_at(step.parameters, "characteristic"));
  return out;
}

void check_direct_service_order(const json::object& order, const catalog::CatalogQuery& catalog, const StoredReader& read,
                                const AllocatedCharacteristics& allocated) {
  if (orchestrator_is_writing()) return;
  const auto ids = check_items(order, "serviceOrderItem");
  const auto& items = *array_at(order, "serviceOrderItem");
  for (const auto& v : items) {
    const auto& item = v.get_object();
    const auto id = text_at(item, "id"), action = text_at(item, "action");
    const auto* service = object_at(item, "service");
    if (!service) throw ApiError::missing_attribute(label("serviceOrderItem", id, "service"));
    if (action == "add") {
      const auto* spec = object_at(*service, "serviceSpecification");
      const auto spec_id = spec ? text_at(*spec, "id") : std::string();
      if (spec_id.empty()) throw ApiError::missing_attribute(label("serviceOrderItem", id, "service.serviceSpecification.id"));
      if (!catalog.service_specification(spec_id))
        throw ApiError(422, "UNKNOWN_SPECIFICATION", "Unknown specification",
                       label("serviceOrderItem", id, "service.serviceSpecification") + ": service specification '" + spec_id + "' does not exist");
    } else if (action != "noChange") {
      const auto service_id = text_at(*service, "id");
      if (service_id.empty()) throw ApiError::missing_attribute(label("serviceOrderItem", id, "service.id"));
      check_existing(read, kServices, service_id, "service", "state", "terminated");
    }
    check_not_allocated(allocated, specification_of(service, read, kServices, text_at(*service, "id"), "serviceSpecification"),
                        service, "serviceCharacteristic", label("serviceOrderItem", id, "service"));
  }
  check_item_dependencies(items, ids);
}

void check_direct_resource_order(const json::object& order, const catalog::CatalogQuery& catalog, const StoredReader& read,
                                 const AllocatedCharacteristics& allocated) {
  if (orchestrator_is_writing()) return;
  check_items(order, "orderItem");
  for (const auto& v : *array_at(order, "orderItem")) {
    const auto& item = v.get_object();
    const auto id = text_at(item, "id"), action = text_at(item, "action");
    const auto* resource = object_at(item, "resource");
    if (action == "add") {
      const auto spec_id = direct_resource_specification_id(item);
      if (spec_id.empty()) throw ApiError::missing_attribute(label("orderItem", id, "resourceSpecification.id"));
      if (!catalog.resource_specification(spec_id))
        throw ApiError(422, "UNKNOWN_SPECIFICATION", "Unknown specification",
                       label("orderItem", id, "resourceSpecification") + ": resource specification '" + spec_id + "' does not exist");
    } else if (action != "noChange") {
      const auto resource_id = resource ? text_at(*resource, "id") : std::string();
      if (resource_id.empty()) throw ApiError::missing_attribute(label("orderItem", id, "resource.id"));
      // A resource deleted by an order ends disabled with an endOperatingDate (inventory_writer.cpp).
      check_existing(read, kResources, resource_id, "resource", "administrativeState", "locked");
    }
    const auto named = direct_resource_specification_id(item);
    const auto resource_id = resource ? text_at(*resource, "id") : std::string();
    check_not_allocated(allocated, named.empty() ? specification_of(nullptr, read, kResources, resource_id, "resourceSpecification") : named,
                        resource, "resourceCharacteristic", label("orderItem", id, "resource"));
  }
}

void Orchestrator::start_direct_order(const std::string& path, const std::string& order_id, UnitOfWork& work) {
  OrchestratorWriting writing;
  if (work.get(kPlans, order_id)) return;  // started already
  auto stored = work.get(path, order_id);
  if (!stored) return;  // deleted before it started
  const auto order = parse_object(stored->body);
  // Cancelled before it started. (The orchestrator creates its child orders past acknowledged, so
  // an external reference to a product order, a client's own, does not stop a direct order.)
  if (text_at(order, "state") != "acknowledged") return;
  Plan plan;
  try {
    plan = path == kServiceOrders ? decompose_service_order(order, *catalog_, config_, work)
                                  : decompose_resource_order(order, *catalog_, config_, work);
  } catch (const ApiError& e) {
    fail_order(work, path, order_id, "decomposition failed: " + e.detail());
    return;
  }
  launch(plan, order, work);
}

} // namespace tmfd::ordering
