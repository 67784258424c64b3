#pragma once
// What a product order must satisfy to be accepted (POST), and what clients may change later.
// Refusals name the item and attribute: 400 for a malformed order, 422 for one that names
// something that does not exist or cannot be sold, 409 for a change the order's state forbids.
#include <functional>
#include <optional>

#include <tmfd/catalog_query.hpp>
#include <tmfd/resource_reads.hpp>
#include <tmfd/unit_of_work.hpp>

namespace tmfd::ordering {

// Reads committed resources (Resources::get).
using StoredReader = std::function<std::optional<StoredResource>(const std::string& path, const std::string& id)>;

struct OrderChecks {
  const catalog::CatalogQuery& catalog;
  StoredReader read;
  // modules.ordering.on_invalid_order: reject. An order that breaks a business rule (what it names
  // does not exist or does not fit) is created `rejected`, with the reason in a note, instead of
  // being refused with 422.
  bool reject_invalid = false;
};

// A new order. The shape (400, always refused): items with unique ids and known actions, no state
// chosen, relationships to items of the order without loops. The business rules (422, or rejected):
// add items name a sellable offering; characteristics are declared by the specification, of its
// value type, among its allowed values, within its cardinality (a mandatory one left out takes the
// default); modify/delete/suspend/resume items name a product of the order's customer, in a status
// the action applies to; local parties and billing accounts exist. Fills orderDate.
void check_new_product_order(json::object& order, const OrderChecks& checks);

// The references part of the business rules (local references only: an absolute href is another
// server's and is kept unchecked).
void check_product_order_references(const json::object& order, const StoredReader& read);

// A client's PATCH (the orchestrator's own changes pass): no state moves, no item changes, nothing
// after the point of no return.
void check_product_order_change(const json::object& order, const json::object& previous, UnitOfWork& work);

// Service and resource orders posted directly: items with ids and actions, state not chosen;
// fills orderDate.
void check_new_child_order(json::object& order, const char* items_key);

} // namespace tmfd::ordering
