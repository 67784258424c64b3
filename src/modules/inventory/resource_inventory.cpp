// TMF639 Resource Inventory v4: the resource kind at /resource, with its two subclasses also
// served at /physicalResource and /logicalResource (resources whose @type is PhysicalResource or
// LogicalResource; the spec gives only PhysicalResource events of its own), Resource_Create's
// required attribute (name), the four Resource events, and the four state enumerations of the spec.
//
// The TMF639 v4 files publish no diagram of resourceStatus (the TMF652 diagrams are those of the
// resource order), so resourceStatus is checked as an enumeration: any value of
// ResourceStatusType may follow any other, and a change is still announced as
// ResourceStateChangeEvent. administrativeState, operationalState and usageState are checked
// against their enumerations; a change of them is an attribute value change.
#include <tmfd/error.hpp>
#include <tmfd/query.hpp>
#include <tmfd/unit_of_work.hpp>

#include "inventory_kinds.hpp"
#include "item_shapes.hpp"

namespace tmfd::inventory {

namespace {

ResourceKind resource_kind() {
  return ResourceKind{
      .api = "resourceInventory",
      .base_path = kResourceBase,
      .collection = "resource",
      .type = "Resource",
      .mandatory = {"name"},  // Resource_Create's required
      .attributes = {str("category"), str("description"), date("endOperatingDate"), str("name"),
                     str("resourceVersion"), date("startOperatingDate"), str("administrativeState"),
                     arr("attachment"), arr("note"), str("operationalState"), obj("place"), arr("relatedParty"),
                     arr("resourceCharacteristic"), arr("resourceRelationship"), obj("resourceSpecification"),
                     str("resourceStatus"), str("usageState"), str("@baseType"), str("@schemaLocation"),
                     str("@type"),
                     // PhysicalResource's own, then LogicalResource's
                     date("manufactureDate"), str("powerState"), str("serialNumber"), str("versionNumber"),
                     str("value")},
      // relatedParty.id (an array) filters too, without an index.
      // Each index costs every write (fulfilment creates several resources per order): the
      // selective ones. The other states have two or three values, which an index barely helps.
      .indexed = {"resourceSpecification.id", "resourceStatus", "name"},
      .lifecycle = Lifecycle{.field = "resourceStatus",
                             .initial = "",  // optional in TMF639: absent stays absent
                             .states = {"standby", "alarm", "available", "reserved", "unknown", "suspended"},
                             .transitions = {},
                             .aliases = {}},
      .events = standard_events("Resource"),
      .subtypes = {Subtype{.collection = "physicalResource", .type = "PhysicalResource", .events = standard_events("PhysicalResource")},
                   // LogicalResource_Create requires nothing (Resource_Create and PhysicalResource_Create: name).
                   Subtype{.collection = "logicalResource", .type = "LogicalResource", .events = {}, .mandatory = std::vector<std::string>{}}},
  };
}

void check_shapes(const json::object& resource) {
  check_enum(resource, "administrativeState", {"locked", "unlocked", "shutdown"});
  check_enum(resource, "operationalState", {"enable", "disable"});
  check_enum(resource, "usageState", {"idle", "active", "busy"});
  require_members(resource, "relatedParty", {"id", "@referredType"});
  require_members(resource, "resourceCharacteristic", {"name", "value"});
  require_members(resource, "place", {"role"});
}

std::string id_of(const json::object& o) {
  const json::value* v = o.if_contains("id");
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A resource that realizes a product or supports a service stays while they refer to it.
void refuse_referenced(const json::object& resource, UnitOfWork& work) {
  const std::string id = percent_encode(id_of(resource));
  if (auto n = work.count(kProducts, "realizingResource.id=" + id); n > 0)
    throw ApiError(409, "STILL_REFERENCED", "Entity still referenced",
                   std::to_string(n) + " product(s) still refer to it through 'realizingResource'");
  if (auto n = work.count(kServices, "supportingResource.id=" + id); n > 0)
    throw ApiError(409, "STILL_REFERENCED", "Entity still referenced",
                   std::to_string(n) + " service(s) still refer to it through 'supportingResource'");
}

} // namespace

KindWithHooks resource_inventory(std::shared_ptr<const References> refs) {
  ResourceHooks hooks;
  hooks.validate = [refs](json::object& resource, const json::object* previous) {
    check_shapes(resource);
    refs->complete_catalog(resource, previous, "resourceSpecification", CatalogEntity::ResourceSpecification);
  };
  hooks.check_in_transaction = [refs](const json::object& resource, const json::object* previous, UnitOfWork& work) {
    refs->check_catalog(resource, previous, "resourceSpecification", CatalogEntity::ResourceSpecification, work);
    refs->check_related_parties(resource, previous, work);
  };
  hooks.before_delete = refuse_referenced;
  return {resource_kind(), std::move(hooks)};
}

} // namespace tmfd::inventory
