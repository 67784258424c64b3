#include "decompose.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include <tmfd/error.hpp>
#include <tmfd/ids.hpp>
#include <tmfd/query.hpp>

#include "json_fields.hpp"
#include "order_paths.hpp"

namespace tmfd::ordering {

namespace {

// name -> value of the characteristics in `entity`'s array `key` (entries without a name skipped).
json::object requested_characteristics(const json::object& entity, std::string_view key) {
  json::object out;
  if (const auto* list = array_at(entity, key))
    for (const auto& c : *list)
      if (c.is_object() && !text_at(c.get_object(), "name").empty())
        if (const auto* v = c.get_object().if_contains("value")) out[text_at(c.get_object(), "name")] = *v;
  return out;
}

json::object spec_reference(const json::object& spec) {
  json::object ref{{"id", text_at(spec, "id")}};
  for (const char* key : {"href", "name", "version"})
    if (auto v = text_at(spec, key); !v.empty()) ref[key] = v;
  return ref;
}

bool is_dependency(const std::string& relationship_type) {
  return relationship_type == "dependsOn" || relationship_type == "reliesOn" || relationship_type == "requires" ||
         relationship_type == "dependency";
}

class Decomposer {
public:
  Decomposer(const catalog::CatalogQuery& catalog, const FulfilmentConfig& config, UnitOfWork& work, std::string now)
      : catalog_(catalog), config_(config), work_(work), now_(std::move(now)) {}

  Plan run(const json::object& order) {
    plan_.id = text_at(order, "id");
    plan_.customer = customer_of(order);
    if (const auto* items = array_at(order, "productOrderItem"))
      for (const auto& item : *items) add_product_item(item.get_object(), "");
    return std::move(plan_);
  }

  // A service order posted directly: its items keep their ids; the services an `add` item's
  // specification depends on (serviceSpecRelationship, transitively) and, for the other actions,
  // the services the existing one is supported by, become items "<id>.1", "<id>.2", ...
  Plan run_service_order(const json::object& order) {
    plan_.id = text_at(order, "id");
    plan_.root = "serviceOrder";
    plan_.customer = customer_of(order);
    const auto* items = array_at(order, "serviceOrderItem");
    std::set<std::string> ids;
    if (items)
      for (const auto& v : *items) ids.insert(text_at(v.get_object(), "id"));
    taken_ = ids;
    if (items)
      for (const auto& v : *items) {
        const auto& item = v.get_object();
        const auto* service = object_at(item, "service");
        const std::string action = text_at(item, "action").empty() ? "add" : text_at(item, "action");
        const std::size_t first = plan_.service_items.size();
        if (action == "add") {
          add_ordered_service(text_at(item, "id"), service ? *service : json::object());
        } else if (action == "noChange") {
          ServiceItem s;  // nothing to do: completes at once
          s.id = text_at(item, "id");
          s.action = action;
          if (service) s.service_id = text_at(*service, "id");
          plan_.service_items.push_back(std::move(s));
        } else add_existing_service(text_at(item, "id"), action, service ? text_at(*service, "id") : std::string());
        // The client's own dependencies between items (serviceOrderItemRelationship).
        if (const auto* rels = array_at(item, "serviceOrderItemRelationship"))
          for (const auto& r : *rels) {
            if (!r.is_object() || !is_dependency(text_at(r.get_object(), "relationshipType"))) continue;
            const auto* other = object_at(r.get_object(), "orderItem");
            std::string other_id = other ? text_at(*other, "itemId") : std::string();
            if (other && other_id.empty()) other_id = text_at(*other, "id");
            if (ids.contains(other_id) && other_id != text_at(item, "id")) plan_.service_items[first].after.push_back(other_id);
          }
        // The characteristics the client asks for go on the ordered service (add, modify).
        if (service && first < plan_.service_items.size())
          plan_.service_items[first].requested = requested_characteristics(*service, "serviceCharacteristic");
      }
    return std::move(plan_);
  }

  // A resource order posted directly: one resource item per order item, with its id.
  Plan run_resource_order(const json::object& order) {
    plan_.id = text_at(order, "id");
    plan_.root = "resourceOrder";
    plan_.customer = customer_of(order);
    if (const auto* items = array_at(order, "orderItem"))
      for (const auto& v : *items) {
        const auto& item = v.get_object();
        const std::string action = text_at(item, "action").empty() ? "add" : text_at(item, "action");
        const auto* resource = object_at(item, "resource");
        const std::string resource_id = resource ? text_at(*resource, "id") : std::string();
        json::object spec;
        if (action == "add" || action == "noChange" || resource_id.empty()) {
          const std::string spec_id = direct_resource_specification_id(item);
          if (!spec_id.empty()) {
            const auto found = catalog_.resource_specification(spec_id);
            if (!found) throw ApiError(422, "UNKNOWN_SPECIFICATION", "Unknown specification", "resource specification '" + spec_id + "' does not exist");
            spec = spec_reference(*found);
          }
        } else {
          const auto stored = work_.get(kResources, resource_id);
          if (!stored) throw ApiError(422, "UNKNOWN_RESOURCE", "Unknown resource", "resource '" + resource_id + "' is not in inventory");
          const auto body = parse_object(stored->body);  // kept: `s` points into it
          if (const auto* s = object_at(body, "resourceSpecification")) spec = spec_reference(*s);
        }
        add_resource_item("", action, std::move(spec), action == "add" ? std::string() : resource_id, text_at(item, "id"));
        if (resource) plan_.resource_items.back().requested = requested_characteristics(*resource, "resourceCharacteristic");
      }
    return std::move(plan_);
  }

private:
  // An `add` item of a service order: the ordered service and those its specification depends on.
  void add_ordered_service(const std::string& item_id, const json::object& service) {
    const auto* spec_ref = object_at(service, "serviceSpecification");
    const std::string spec_id = spec_ref ? text_at(*spec_ref, "id") : std::string();
    std::vector<json::object> specs;
    std::set<std::string> seen;
    auto found = catalog_.service_specification(spec_id);
    if (!found) throw ApiError(422, "UNKNOWN_SPECIFICATION", "Unknown specification", "service specification '" + spec_id + "' does not exist");
    specs.push_back(std::move(*found));
    seen.insert(spec_id);
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (const auto* rels = array_at(specs[i], "serviceSpecRelationship"))
        for (const auto& r : *rels) {
          const std::string id = text_at(r.get_object(), "id");
          if (!seen.insert(id).second) continue;
          auto dependency = catalog_.service_specification(id);
          if (!dependency)
            throw ApiError(422, "BROKEN_CATALOG", "Broken catalog", "service specification '" + id + "' (a dependency of '" + spec_id + "') does not exist");
          specs.push_back(std::move(*dependency));
        }
    std::map<std::string, std::string> item_of_spec;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      ServiceItem s;
      s.id = i == 0 ? item_id : derived_id(item_id);
      s.action = "add";
      s.specification = spec_reference(specs[i]);
      s.customer_facing = i == 0;
      item_of_spec[text_at(specs[i], "id")] = s.id;
      plan_.service_items.push_back(std::move(s));
    }
    for (const auto& spec : specs) {
      const std::string sid = item_of_spec[text_at(spec, "id")];
      if (const auto* rels = array_at(spec, "serviceSpecRelationship"))
        for (const auto& r : *rels)
          if (auto it = item_of_spec.find(text_at(r.get_object(), "id")); it != item_of_spec.end() && it->second != sid)
            plan_.service_item(sid)->after.push_back(it->second);
      if (const auto* refs = array_at(spec, "resourceSpecification"))
        for (const auto& r : *refs) {
          const auto resource_spec = catalog_.resource_specification(text_at(r.get_object(), "id"));
          add_resource_item(sid, "add", resource_spec ? spec_reference(*resource_spec) : spec_reference(r.get_object()), "");
        }
      add_steps(text_at(spec, "id"), "add", service_owner(sid));
    }
  }

  // A modify, delete or noChange item of a service order: the service in inventory, the services
  // it is supported by, and their resources, each with the same action.
  void add_existing_service(const std::string& item_id, const std::string& action, const std::string& service_id) {
    if (!work_.get(kServices, service_id))
      throw ApiError(422, "UNKNOWN_SERVICE", "Unknown service", "service '" + service_id + "' is not in inventory");
    add_stored_services({service_id}, 1, action, [&](ServiceItem& s, std::size_t i) {
      s.id = i == 0 ? item_id : derived_id(item_id);
    });
  }

  // Service items for stored services: `service_ids` (the first `customer_facing` of them facing
  // the customer) and, each once, the services supporting them, with their supporting resources,
  // all with `action`. `name` gives the i-th item its id and owner; `added` follows each one.
  void add_stored_services(std::vector<std::string> service_ids, std::size_t customer_facing, const std::string& action,
                           const std::function<void(ServiceItem&, std::size_t)>& name,
                           const std::function<void(const ServiceItem&)>& added = {}) {
    for (std::size_t i = 0; i < service_ids.size(); ++i) {
      const auto stored = work_.get(kServices, service_ids[i]);
      if (!stored) continue;
      const auto body = parse_object(stored->body);
      ServiceItem s;
      name(s, i);
      s.action = action;
      s.service_id = service_ids[i];
      s.customer_facing = i < customer_facing;
      if (const auto* spec = object_at(body, "serviceSpecification")) s.specification = spec_reference(*spec);
      plan_.service_items.push_back(s);
      if (added) added(s);
      if (const auto* supporting = array_at(body, "supportingService"))
        for (const auto& r : *supporting)
          if (auto id = text_at(r.get_object(), "id"); std::find(service_ids.begin(), service_ids.end(), id) == service_ids.end())
            service_ids.push_back(id);
      if (const auto* resources = array_at(body, "supportingResource"))
        for (const auto& r : *resources) {
          const auto resource = work_.get(kResources, text_at(r.get_object(), "id"));
          if (!resource) continue;
          const auto rbody = parse_object(resource->body);  // kept: `spec` points into it
          const auto* spec = object_at(rbody, "resourceSpecification");
          add_resource_item(s.id, action, spec ? spec_reference(*spec) : json::object(), text_at(r.get_object(), "id"));
        }
      add_steps(text_at(s.specification, "id"), action, service_owner(s.id));
    }
  }

  void add_product_item(const json::object& item, const std::string& parent) {
    ProductItem p;
    p.id = text_at(item, "id");
    p.action = text_at(item, "action");
    p.parent = parent;
    if (const auto* rels = array_at(item, "productOrderItemRelationship"))
      for (const auto& r : *rels)
        if (r.is_object() && is_dependency(text_at(r.get_object(), "relationshipType")))
          p.after.push_back(text_at(r.get_object(), "id"));
    if (const auto* offering = object_at(item, "productOffering")) p.offering = spec_reference(*offering);
    if (const auto* product = object_at(item, "product")) p.product_id = text_at(*product, "id");
    const std::size_t index = plan_.product_items.size();
    plan_.product_items.push_back(p);

    if (p.action == "noChange") return;
    if (p.action == "add") {
      auto resolved = catalog_.resolve_sellable_offering(text_at(p.offering, "id"), now_);
      plan_.product_items[index].offering = spec_reference(resolved.offering);
      if (resolved.product_specification)
        plan_.product_items[index].specification = spec_reference(*resolved.product_specification);
      if (!resolved.bundled.empty()) {
        add_bundle_parts(item, resolved, p.id);
        return;
      }
      add_services_of(resolved, index);
      return;
    }
    add_existing_product(index);
  }

  // A bundle's parts: the items the client nested in it, or one per bundled offering.
  void add_bundle_parts(const json::object& item, const catalog::ResolvedOffering& resolved, const std::string& id) {
    if (const auto* nested = array_at(item, "productOrderItem"); nested && !nested->empty()) {
      for (const auto& part : *nested) add_product_item(part.get_object(), id);
      return;
    }
    int n = 0;
    for (const auto& part : resolved.bundled) {
      json::object child{{"id", id + "." + std::to_string(++n)}, {"action", "add"},
                         {"productOffering", spec_reference(part.offering)}};
      add_product_item(child, id);
    }
  }

  void add_services_of(const catalog::ResolvedOffering& resolved, std::size_t product_index) {
    std::set<std::string> customer_facing;
    if (resolved.product_specification)
      if (const auto* refs = array_at(*resolved.product_specification, "serviceSpecification"))
        for (const auto& r : *refs) customer_facing.insert(text_at(r.get_object(), "id"));
    std::map<std::string, std::string> item_of_spec;
    const std::string product_item = plan_.product_items[product_index].id;
    for (const auto& spec : resolved.service_specifications) {
      ServiceItem s;
      s.id = std::to_string(plan_.service_items.size() + 1);
      s.product_item = product_item;
      s.action = "add";
      s.specification = spec_reference(spec);
      s.customer_facing = customer_facing.contains(text_at(spec, "id"));
      item_of_spec[text_at(spec, "id")] = s.id;
      plan_.service_items.push_back(s);
      plan_.product_items[product_index].service_items.push_back(s.id);
    }
    // Dependencies and resources, now that every service of the product has its item.
    for (const auto& spec : resolved.service_specifications) {
      auto& s = *plan_.service_item(item_of_spec[text_at(spec, "id")]);
      if (const auto* rels = array_at(spec, "serviceSpecRelationship"))
        for (const auto& r : *rels)
          if (auto it = item_of_spec.find(text_at(r.get_object(), "id")); it != item_of_spec.end())
            s.after.push_back(it->second);
      if (const auto* refs = array_at(spec, "resourceSpecification"))
        for (const auto& r : *refs) {
          const auto resource_spec = catalog_.resource_specification(text_at(r.get_object(), "id"));
          add_resource_item(s.id, "add", resource_spec ? spec_reference(*resource_spec) : spec_reference(r.get_object()), "");
        }
      add_steps(text_at(spec, "id"), "add", service_owner(s.id));
    }
  }

  // modify, delete, suspend, resume: what the product in inventory is made of.
  void add_existing_product(std::size_t product_index) {
    auto& p = plan_.product_items[product_index];
    const auto stored = work_.get(kProducts, p.product_id);
    if (!stored) throw ApiError(422, "UNKNOWN_PRODUCT", "Unknown product", "product '" + p.product_id + "' is not in inventory");
    const auto product = parse_object(stored->body);
    if (const auto* offering = object_at(product, "productOffering"); offering && p.offering.empty())
      p.offering = spec_reference(*offering);
    if (const auto* spec = object_at(product, "productSpecification")) p.specification = spec_reference(*spec);
    const std::string product_item = p.id, action = p.action;
    std::vector<std::string> service_ids;
    if (const auto* refs = array_at(product, "realizingService"))
      for (const auto& r : *refs) service_ids.push_back(text_at(r.get_object(), "id"));
    // The realizing services face the customer; the services supporting them follow.
    const std::size_t realizing = service_ids.size();
    add_stored_services(
        std::move(service_ids), realizing, action,
        [&](ServiceItem& s, std::size_t) {
          s.id = std::to_string(plan_.service_items.size() + 1);
          s.product_item = product_item;
        },
        [&](const ServiceItem& s) { plan_.product_items[product_index].service_items.push_back(s.id); });
  }

  // `id`: the item's id in its resource order (by default the next number); `service_item`: the
  // service item it supports, or none (a resource order posted directly).
  void add_resource_item(const std::string& service_item, const std::string& action, json::object spec,
                         const std::string& resource_id, const std::string& id = {}) {
    ResourceItem r;
    r.id = id.empty() ? std::to_string(plan_.resource_items.size() + 1) : id;
    r.service_item = service_item;
    r.action = action;
    r.specification = std::move(spec);
    r.resource_id = resource_id;
    plan_.resource_items.push_back(r);
    if (!service_item.empty()) plan_.service_item(service_item)->resource_items.push_back(r.id);
    add_steps(text_at(plan_.resource_items.back().specification, "id"), action, resource_owner(r.id));
  }

  // The id of an item a service order item decomposed into: "<id>.1", "<id>.2", ..., skipping
  // ids the order's own items use.
  std::string derived_id(const std::string& item_id) {
    for (int n = 1;; ++n)
      if (auto id = item_id + "." + std::to_string(n); taken_.insert(id).second) return id;
  }

  // The configured steps of `spec_id` for `action`, owned by `owner` (resource_owner or service_owner).
  void add_steps(const std::string& spec_id, const std::string& action, const std::string& owner) {
    auto plan = config_.plans.find(spec_id);
    if (plan == config_.plans.end()) return;
    std::map<std::string, std::string> id_of_name;
    for (const auto& t : plan->second) {
      if (std::find(t.actions.begin(), t.actions.end(), action) == t.actions.end()) continue;
      Step s;
      s.id = new_uuid();
      s.name = t.name;
      s.executor = t.executor;
      s.parameters = t.parameters;
      s.owner = owner;
      s.max_attempts = t.max_attempts;
      s.first_retry_ms = t.first_retry_ms;
      s.point_of_no_return = t.point_of_no_return;
      s.hold_on_failure = t.hold_on_failure;
      for (const auto& before : t.after)
        if (auto it = id_of_name.find(before); it != id_of_name.end()) s.after.push_back(it->second);
      id_of_name[t.name] = s.id;
      plan_.steps.push_back(std::move(s));
    }
  }

  const catalog::CatalogQuery& catalog_;
  const FulfilmentConfig& config_;
  UnitOfWork& work_;
  std::string now_;
  Plan plan_;
  std::set<std::string> taken_;  // item ids of a service order posted directly, and those derived
};

} // namespace

json::value customer_of(const json::object& order) {
  const auto* parties = array_at(order, "relatedParty");
  if (!parties || parties->empty()) return nullptr;
  for (const auto& p : *parties)
    if (p.is_object() && text_at(p.get_object(), "role") == "customer") return p;
  return parties->front();
}

Plan decompose(const json::object& order, const catalog::CatalogQuery& catalog, const FulfilmentConfig& config,
               UnitOfWork& work, const std::string& now) {
  return Decomposer(catalog, config, work, now).run(order);
}

Plan decompose_service_order(const json::object& order, const catalog::CatalogQuery& catalog,
                             const FulfilmentConfig& config, UnitOfWork& work) {
  return Decomposer(catalog, config, work, now_timestamp()).run_service_order(order);
}

Plan decompose_resource_order(const json::object& order, const catalog::CatalogQuery& catalog,
                              const FulfilmentConfig& config, UnitOfWork& work) {
  return Decomposer(catalog, config, work, now_timestamp()).run_resource_order(order);
}

std::string direct_resource_specification_id(const json::object& item) {
  if (const auto* spec = object_at(item, "resourceSpecification")) return text_at(*spec, "id");
  if (const auto* resource = object_at(item, "resource"))
    if (const auto* spec = object_at(*resource, "resourceSpecification")) return text_at(*spec, "id");
  return {};
}

} // namespace tmfd::ordering
