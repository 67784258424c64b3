#pragma once
// What a product order must satisfy to be accepted (POST), and what clients may change later.
// Refusals name the item and attribute: 400 for a malformed order, 422 for one that names
// something that does not exist or cannot be sold, 409 for a change the order's state forbids.
#include <tmfd/catalog_query.hpp>
#include <tmfd/unit_of_work.hpp>

namespace tmfd::ordering {

// Without the store: structure, actions, relationships (no loops), the offerings (they exist and
// are sellable now) and the characteristics (declared by the specification, of its value type,
// among its allowed values, within its cardinality; defaults filled in).
void check_new_product_order(json::object& order, const catalog::CatalogQuery& catalog);

// In the order's transaction: products that modify/delete/suspend/resume items name exist and
// belong to the order's customer; local parties and billing accounts exist.
void check_product_order_references(const json::object& order, UnitOfWork& work);

// A client's PATCH (the orchestrator's own changes pass): no state moves, no item changes, nothing
// after the point of no return.
void check_product_order_change(const json::object& order, const json::object& previous, UnitOfWork& work);

// Service and resource orders posted directly: items with ids and actions, state not chosen.
void check_new_child_order(const json::object& order, const char* items_key);

} // namespace tmfd::ordering
