#pragma once
// TMF637 Product Inventory, TMF638 Service Inventory and TMF639 Resource Inventory (v4): the kinds
// of the inventory module and the paths they live under. The ordering module creates and changes
// these resources in its units of work on exactly these collection paths: keep them.
#include <memory>
#include <string>

#include <tmfd/resources.hpp>

#include "inventory_references.hpp"

namespace tmfd::inventory {

inline const std::string kProductBase = "/tmf-api/productInventory/v4";
inline const std::string kServiceBase = "/tmf-api/serviceInventory/v4";
inline const std::string kResourceBase = "/tmf-api/resourceInventoryManagement/v4";

inline const std::string kProducts = kProductBase + "/product";
inline const std::string kServices = kServiceBase + "/service";
inline const std::string kResources = kResourceBase + "/resource";

struct KindWithHooks {
  ResourceKind kind;
  ResourceHooks hooks;
};

// Each kind's hooks check its references through `refs` (shared: filled once every module runs).
KindWithHooks product_inventory(std::shared_ptr<const References> refs);
KindWithHooks service_inventory(std::shared_ptr<const References> refs);
KindWithHooks resource_inventory(std::shared_ptr<const References> refs);

// Shorthand for attribute tables.
inline Attribute str(const char* n) { return {n, AttributeType::String}; }
inline Attribute date(const char* n) { return {n, AttributeType::DateTime}; }
inline Attribute arr(const char* n) { return {n, AttributeType::Array}; }
inline Attribute obj(const char* n) { return {n, AttributeType::Object}; }
inline Attribute boolean(const char* n) { return {n, AttributeType::Boolean}; }

} // namespace tmfd::inventory
