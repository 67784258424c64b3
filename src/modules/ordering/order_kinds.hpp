#pragma once
// Declares the module's kinds: TMF622 productOrder and cancelProductOrder, TMF641 serviceOrder
// and cancelServiceOrder, TMF652 resourceOrder and cancelResourceOrder, TMF701 processFlow and
// taskFlow (its routes are task_flow_routes.cpp), and the internal plan, allocation and pool
// cursor kinds.
#include <memory>

#include <tmfd/catalog_query.hpp>
#include <tmfd/resources.hpp>

#include "direct_orders.hpp"

namespace tmfd::ordering {

// `reject_invalid`: modules.ordering.on_invalid_order is reject (see order_validation.hpp).
// `allocated`: what pools fill, which orders posted directly may not set (direct_orders.hpp).
void declare_order_kinds(Resources& resources, std::shared_ptr<catalog::CatalogQuery> catalog, bool reject_invalid,
                         AllocatedCharacteristics allocated);

} // namespace tmfd::ordering
