#pragma once
// What a completed item does to inventory (TMF637/638/639), in the unit of work that completes
// it: `add` creates the resource, service or product with its references filled (the customer,
// the offering and specification, the order item, the services and resources that realize or
// support it); `modify` changes characteristics; `delete` terminates; `suspend` and `resume`
// move the state. Each function records the inventory id in the plan.
#include <string>

#include <tmfd/catalog_query.hpp>
#include <tmfd/unit_of_work.hpp>

#include "fulfilment_config.hpp"
#include "plan.hpp"

namespace tmfd::ordering {

// The TMF639 subclass a resource of `specification` is created as: PhysicalResource for a
// PhysicalResourceSpecification, LogicalResource for a LogicalResourceSpecification (TMF634's
// @type of the catalog entry); "" (plain Resource) otherwise.
std::string resource_type_of(const catalog::CatalogQuery& catalog, const json::object& specification);
// `type`: the @type of a resource an `add` creates (resource_type_of), "" for Resource.
void write_resource(Plan& plan, ResourceItem& item, UnitOfWork& work, const FulfilmentConfig& config,
                    const std::string& type = {});
void write_service(Plan& plan, ServiceItem& item, UnitOfWork& work);
void write_product(Plan& plan, ProductItem& item, UnitOfWork& work);

// Releases the pool values a resource holds (its characteristics filled by allocate steps of its
// specification's plan).
void release_allocations(const json::object& resource, UnitOfWork& work, const FulfilmentConfig& config);

} // namespace tmfd::ordering
