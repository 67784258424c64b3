#pragma once
// Service orders (TMF641) and resource orders (TMF652) posted directly, without a product order:
// checked on POST like product orders, then fulfilled by the same orchestrator. The plan's root is
// the order itself (Plan::root); a service order's items decompose through the catalog (the
// services its specification depends on, their resources), a resource order's items run their
// resource specifications' plans, and inventory is written as items complete.
#include <map>
#include <set>

#include <tmfd/catalog_query.hpp>

#include "fulfilment_config.hpp"
#include "order_validation.hpp"

namespace tmfd::ordering {

// The characteristics `allocate` steps fill, by specification id. A client's order may not set
// them: the pool's record of the value would no longer match what the resource holds.
using AllocatedCharacteristics = std::map<std::string, std::set<std::string>>;
AllocatedCharacteristics allocated_characteristics(const FulfilmentConfig& config);

// On POST, after check_new_child_order (orders the orchestrator makes pass unchecked). 400: no
// items, an item without a known action or what it acts on (`service`, its specification for
// `add`, its `id` otherwise), a serviceOrderItemRelationship naming no item of the order, or a
// loop of them. 422 (UNKNOWN_SPECIFICATION, UNKNOWN_SERVICE, UNKNOWN_RESOURCE, NOT_ACTIVE): a
// specification the catalog does not have, a service or resource not in inventory, or one
// terminated already for `modify` and `delete`; 422 ALLOCATED_CHARACTERISTIC: a characteristic
// (service.serviceCharacteristic, resource.resourceCharacteristic) that a pool fills.
void check_direct_service_order(const json::object& order, const catalog::CatalogQuery& catalog, const StoredReader& read,
                                const AllocatedCharacteristics& allocated);
void check_direct_resource_order(const json::object& order, const catalog::CatalogQuery& catalog, const StoredReader& read,
                                 const AllocatedCharacteristics& allocated);

// The reactions' filters: orders created `acknowledged`, which only clients do (the orchestrator
// creates its child orders in the state their plan reached).
inline const char* kDirectServiceOrderFilter = "eventType=ServiceOrderCreateEvent&event.serviceOrder.state=acknowledged";
inline const char* kDirectResourceOrderFilter = "eventType=ResourceOrderCreateEvent&event.resourceOrder.state=acknowledged";

} // namespace tmfd::ordering
