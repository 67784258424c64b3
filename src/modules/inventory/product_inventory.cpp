// TMF637 Product Inventory v4: the product kind, with the lifecycle of the published diagram
// (TMF637_Product_Inventory__LifeCycle_Product.png), the Product_Create required attribute
// (status) and the four events the engine writes (ProductBatchEvent is not written: the engine
// announces each change on its own).
#include <algorithm>

#include <tmfd/error.hpp>
#include <tmfd/unit_of_work.hpp>

#include "inventory_kinds.hpp"
#include "item_shapes.hpp"

namespace tmfd::inventory {

namespace {

// The diagram's final states: a product leaves the inventory (DELETE) only from one of them.
const std::vector<std::string> kFinal = {"terminated", "cancelled", "aborted"};

ResourceKind product_kind() {
  return ResourceKind{
      .api = "productInventory",
      .base_path = kProductBase,
      .collection = "product",
      .type = "Product",
      .mandatory = {"status"},  // Product_Create's required
      .attributes = {str("description"), boolean("isBundle"), boolean("isCustomerVisible"), str("name"),
                     date("orderDate"), str("productSerialNumber"), date("startDate"), date("terminationDate"),
                     arr("agreement"), obj("billingAccount"), arr("place"), arr("product"),
                     arr("productCharacteristic"), obj("productOffering"), arr("productOrderItem"),
                     arr("productPrice"), arr("productRelationship"), obj("productSpecification"),
                     arr("productTerm"), arr("realizingResource"), arr("realizingService"), arr("relatedParty"),
                     str("status"), str("@baseType"), str("@schemaLocation"), str("@type")},
      // relatedParty.id and productOrderItem.productOrderId (arrays) filter too, without an index.
      // Each index costs every write: the ones operators look products up by.
      .indexed = {"status", "productOffering.id", "billingAccount.id", "productSerialNumber"},
      .lifecycle = Lifecycle{
          .field = "status",
          .initial = "created",
          .states = {"created", "pendingActive", "active", "suspended", "pendingTerminate", "terminated",
                     "cancelled", "aborted"},
          .transitions = {{"created", "pendingActive"},      // waiting for activation
                          {"created", "active"},             // immediate activation
                          {"pendingActive", "active"},       // activation
                          {"pendingActive", "aborted"},      // abortion
                          {"pendingActive", "cancelled"},    // cancellation
                          {"active", "suspended"},           // suspension
                          {"suspended", "active"},           // reactivation
                          {"active", "pendingTerminate"},    // waiting for termination
                          {"pendingTerminate", "terminated"},  // termination
                          {"active", "terminated"}},         // immediate termination
          // The published ProductStatusType spells it "aborted " (trailing space).
          .aliases = {{"aborted ", "aborted"}}},
      .events = standard_events("Product"),
  };
}

void check_shapes(const json::object& product) {
  require_members(product, "relatedParty", {"id", "@referredType"});
  require_members(product, "productOrderItem", {"productOrderId", "orderItemId"});
  require_members(product, "productCharacteristic", {"name", "value"});
  require_members(product, "realizingService", {"id"});
  require_members(product, "realizingResource", {"id"});
  require_members(product, "place", {"role"});
}

void refuse_live_product(const json::object& product, UnitOfWork& /*work*/) {
  const json::value* v = product.if_contains("status");
  const std::string status = v && v->is_string() ? std::string(v->get_string()) : std::string();
  if (std::find(kFinal.begin(), kFinal.end(), status) == kFinal.end())
    throw ApiError::conflict("a product in status '" + status +
                             "' cannot be deleted; only terminated, cancelled or aborted products can");
}

} // namespace

KindWithHooks product_inventory(std::shared_ptr<const References> refs) {
  ResourceHooks hooks;
  hooks.validate = [refs](json::object& product, const json::object* previous) {
    check_shapes(product);
    refs->complete_catalog(product, previous, "productOffering", CatalogEntity::ProductOffering);
    refs->complete_catalog(product, previous, "productSpecification", CatalogEntity::ProductSpecification);
  };
  hooks.check_in_transaction = [refs](const json::object& product, const json::object* previous, UnitOfWork& work) {
    refs->check_catalog(product, previous, "productOffering", CatalogEntity::ProductOffering, work);
    refs->check_catalog(product, previous, "productSpecification", CatalogEntity::ProductSpecification, work);
    refs->check_related_parties(product, previous, work);
    refs->check_billing_account(product, previous, work);
    refs->check_inventory(product, previous, "realizingService", kServices, "Service", work);
    refs->check_inventory(product, previous, "realizingResource", kResources, "Resource", work);
  };
  hooks.before_delete = refuse_live_product;
  return {product_kind(), std::move(hooks)};
}

} // namespace tmfd::inventory
