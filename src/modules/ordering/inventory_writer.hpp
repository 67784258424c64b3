#pragma once
// What a completed item does to inventory (TMF637/638/639), in the unit of work that completes
// it: `add` creates the resource, service or product with its references filled (the customer,
// the offering and specification, the order item, the services and resources that realize or
// support it); `modify` changes characteristics; `delete` terminates; `suspend` and `resume`
// move the state. Each function records the inventory id in the plan.
#include <tmfd/unit_of_work.hpp>

#include "fulfilment_config.hpp"
#include "plan.hpp"

namespace tmfd::ordering {

void write_resource(Plan& plan, ResourceItem& item, UnitOfWork& work, const FulfilmentConfig& config);
void write_service(Plan& plan, ServiceItem& item, UnitOfWork& work);
void write_product(Plan& plan, ProductItem& item, UnitOfWork& work);

// Releases the pool values a resource holds (its characteristics filled by allocate steps of its
// specification's plan).
void release_allocations(const json::object& resource, UnitOfWork& work, const FulfilmentConfig& config);

} // namespace tmfd::ordering
