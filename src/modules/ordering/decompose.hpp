#pragma once
// Decomposition: a product order, read through the catalog, becomes a plan of service order
// items (TMF641), resource order items (TMF652) and the steps that fulfil them.
//   add:     offering -> product specification -> customer-facing service specifications ->
//            the services they depend on (serviceSpecRelationship) -> resource specifications;
//            a bundle offering -> one item per bundled offering.
//   modify, delete, suspend, resume: the product in inventory -> its realizing services -> their
//            supporting resources, each item with the same action.
//   noChange: nothing to do.
// Steps come from the plans configured for each service and resource specification, for the
// item's action.
#include <string>

#include <tmfd/catalog_query.hpp>
#include <tmfd/unit_of_work.hpp>

#include "fulfilment_config.hpp"
#include "plan.hpp"

namespace tmfd::ordering {

// Throws ApiError (422) when the order cannot be decomposed (an offering no longer sellable, a
// product gone from inventory): the caller fails the order with that reason.
Plan decompose(const json::object& order, const catalog::CatalogQuery& catalog, const FulfilmentConfig& config,
               UnitOfWork& work, const std::string& now);

// A service or resource order posted directly (direct_orders.cpp), from its items: the plan's
// root is that order, and its items keep their ids. Throws ApiError (422) like decompose.
Plan decompose_service_order(const json::object& order, const catalog::CatalogQuery& catalog,
                             const FulfilmentConfig& config, UnitOfWork& work);
Plan decompose_resource_order(const json::object& order, const catalog::CatalogQuery& catalog,
                              const FulfilmentConfig& config, UnitOfWork& work);
// The resource specification a resource order item names (its own, or its resource's), or "".
std::string direct_resource_specification_id(const json::object& item);

// The customer of an order: its relatedParty with role customer, else the first one; null when none.
json::value customer_of(const json::object& order);

} // namespace tmfd::ordering
