#pragma once
// Reference integrity of the inventories: what a product, service or resource points at must
// exist, unless the reference is federated (its href names another server: kept as sent).
//
//  - catalog entities (productOffering, productSpecification, serviceSpecification,
//    resourceSpecification) through the catalog module's CatalogQuery service. A local reference
//    (no href, or a relative one) is looked up in the kind's validate hook, off the writer thread
//    for a POST, and gets the entity's own href (TMF639 requires one on ResourceSpecificationRef);
//    one with an absolute href is looked up in the transaction unless it is federated;
//  - parties (relatedParty by @referredType: Individual, Organization, PartyRole, Customer) and
//    the billingAccount, in the party module's collections when that module is enabled (without
//    it they are kept unchecked);
//  - other inventory items (realizingService, realizingResource, supportingService,
//    supportingResource) through the unit of work, so that items created earlier in the same unit
//    (an order completing) count as existing.
//
// On a patch, only references that the patch adds or changes are checked: a product keeps
// working (its status can move) after the offering it was sold from has been retired.
// A reference to a missing entity is refused with 400 INVALID_REFERENCE naming the attribute.
#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include <tmfd/catalog_query.hpp>
#include <tmfd/resources.hpp>

namespace tmfd::inventory {

enum class CatalogEntity { ProductOffering, ProductSpecification, ServiceSpecification, ResourceSpecification };

class References {
public:
  explicit References(std::shared_ptr<const catalog::CatalogQuery> catalog) : catalog_(std::move(catalog)) {}

  // In Module::serving(), once every module declared its kinds: notes which of the party
  // module's collections exist.
  void find_party_kinds(Resources& resources);

  // In the validate hook: `attribute` is one reference object ({"id", "href"...}) to a catalog
  // entity. When it is new or changed and has no absolute href, the entity must exist; its href
  // is copied into the reference.
  void complete_catalog(json::object& resource, const json::object* previous, const std::string& attribute,
                        CatalogEntity entity) const;
  // In check_in_transaction: the same reference when it has an absolute href that is not
  // federated (one under server.public_base_url).
  void check_catalog(const json::object& resource, const json::object* previous, const std::string& attribute,
                     CatalogEntity entity, TransactionReader& work) const;
  // `attribute` is an array of references to items of the inventory collection `target_path`
  // (`target_type` names it in messages, e.g. "Service").
  void check_inventory(const json::object& resource, const json::object* previous, const std::string& attribute,
                       const std::string& target_path, const std::string& target_type, TransactionReader& work) const;
  // relatedParty entries whose @referredType names a kind of the party module.
  void check_related_parties(const json::object& resource, const json::object* previous, TransactionReader& work) const;
  // The TMF666 billingAccount reference (TMF637 products).
  void check_billing_account(const json::object& resource, const json::object* previous, TransactionReader& work) const;

private:
  std::optional<json::object> catalog_entity(CatalogEntity entity, const std::string& id) const;

  std::shared_ptr<const catalog::CatalogQuery> catalog_;
  // Set once in serving(), read by hooks on the writer thread.
  std::atomic<bool> individuals_{false}, organizations_{false}, party_roles_{false}, customers_{false},
      billing_accounts_{false};
};

// An error naming the attribute whose reference points at nothing (400 INVALID_REFERENCE).
ApiError missing_reference(const std::string& attribute, const std::string& type, const std::string& id);

} // namespace tmfd::inventory
