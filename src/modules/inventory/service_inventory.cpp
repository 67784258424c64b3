// TMF638 Service Inventory v4: the service kind, with the lifecycle of the published diagram
// (TMF638_Service_Inventory__service_lifecycle.png), Service_Create's required attributes (state,
// serviceSpecification) and its four events.
#include <algorithm>

#include <tmfd/error.hpp>
#include <tmfd/query.hpp>
#include <tmfd/unit_of_work.hpp>

#include "inventory_kinds.hpp"
#include "item_shapes.hpp"

namespace tmfd::inventory {

namespace {

// "service retired" leads from these states to the end of the lifecycle: a service leaves the
// inventory (DELETE) only from one of them. An active or inactive service is terminated first.
const std::vector<std::string> kRetirable = {"feasibilityChecked", "designed", "reserved", "terminated"};

ResourceKind service_kind() {
  return ResourceKind{
      .api = "serviceInventory",
      .base_path = kServiceBase,
      .collection = "service",
      .type = "Service",
      .mandatory = {"state", "serviceSpecification"},  // Service_Create's required
      .attributes = {str("category"), str("description"), date("endDate"), boolean("hasStarted"),
                     boolean("isBundle"), boolean("isServiceEnabled"), boolean("isStateful"), str("name"),
                     date("serviceDate"), str("serviceType"), date("startDate"), str("startMode"), arr("feature"),
                     arr("note"), arr("place"), arr("relatedEntity"), arr("relatedParty"),
                     arr("serviceCharacteristic"), arr("serviceOrderItem"), arr("serviceRelationship"),
                     obj("serviceSpecification"), str("state"), arr("supportingResource"),
                     arr("supportingService"), str("@baseType"), str("@schemaLocation"), str("@type")},
      .immutable = {"serviceDate"},  // not in Service_Update
      // relatedParty.id and serviceOrderItem.serviceOrderId (arrays) filter too, without an index.
      // Each index costs every write (fulfilment creates several services per order).
      .indexed = {"state", "serviceSpecification.id"},
      .lifecycle = Lifecycle{
          .field = "state",
          .initial = "",  // mandatory: never absent on create
          .states = {"feasibilityChecked", "designed", "reserved", "inactive", "active", "terminated"},
          // Every change(state=...) arrow of the diagram; "delete" is active -> terminated.
          .transitions = {{"feasibilityChecked", "designed"}, {"feasibilityChecked", "reserved"},
                          {"feasibilityChecked", "inactive"}, {"feasibilityChecked", "active"},
                          {"designed", "reserved"},           {"designed", "inactive"},
                          {"designed", "active"},             {"reserved", "designed"},
                          {"reserved", "inactive"},           {"reserved", "active"},
                          {"inactive", "active"},             {"active", "inactive"},
                          {"active", "terminated"},           {"terminated", "active"}},
          .aliases = {}},
      .events = standard_events("Service"),
  };
}

void check_shapes(const json::object& service) {
  require_members(service, "relatedParty", {"id", "@referredType"});
  require_members(service, "serviceOrderItem", {"serviceOrderId", "itemId"});
  require_members(service, "serviceCharacteristic", {"name", "value"});
  require_members(service, "supportingService", {"id"});
  require_members(service, "supportingResource", {"id"});
  require_members(service, "place", {"role"});
}

std::string id_of(const json::object& o) {
  const json::value* v = o.if_contains("id");
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

void refuse_delete(const json::object& service, UnitOfWork& work) {
  const json::value* v = service.if_contains("state");
  const std::string state = v && v->is_string() ? std::string(v->get_string()) : std::string();
  if (std::find(kRetirable.begin(), kRetirable.end(), state) == kRetirable.end())
    throw ApiError::conflict("a service in state '" + state +
                             "' cannot be deleted; terminate it first (only feasibilityChecked, designed, "
                             "reserved or terminated services can be retired)");
  const std::string id = percent_encode(id_of(service));
  if (auto n = work.count(kProducts, "realizingService.id=" + id); n > 0)
    throw ApiError(409, "STILL_REFERENCED", "Entity still referenced",
                   std::to_string(n) + " product(s) still refer to it through 'realizingService'");
  if (auto n = work.count(kServices, "supportingService.id=" + id); n > 0)
    throw ApiError(409, "STILL_REFERENCED", "Entity still referenced",
                   std::to_string(n) + " service(s) still refer to it through 'supportingService'");
}

} // namespace

KindWithHooks service_inventory(std::shared_ptr<const References> refs) {
  ResourceHooks hooks;
  hooks.validate = [refs](json::object& service, const json::object* previous) {
    check_shapes(service);
    refs->complete_catalog(service, previous, "serviceSpecification", CatalogEntity::ServiceSpecification);
  };
  hooks.check_in_transaction = [refs](const json::object& service, const json::object* previous, UnitOfWork& work) {
    refs->check_catalog(service, previous, "serviceSpecification", CatalogEntity::ServiceSpecification, work);
    refs->check_related_parties(service, previous, work);
    refs->check_inventory(service, previous, "supportingService", kServices, "Service", work);
    refs->check_inventory(service, previous, "supportingResource", kResources, "Resource", work);
  };
  hooks.before_delete = refuse_delete;
  return {service_kind(), std::move(hooks)};
}

} // namespace tmfd::inventory
