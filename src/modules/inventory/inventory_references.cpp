#include "inventory_references.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include <tmfd/error.hpp>

namespace tmfd::inventory {

namespace {

const std::string kIndividuals = "/tmf-api/party/v4/individual";
const std::string kOrganizations = "/tmf-api/party/v4/organization";
const std::string kPartyRoles = "/tmf-api/partyRoleManagement/v4/partyRole";
const std::string kCustomers = "/tmf-api/customerManagement/v4/customer";
const std::string kBillingAccounts = "/tmf-api/accountManagement/v4/billingAccount";

std::string string_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

struct Reference {
  std::string where;  // "relatedParty[2]"
  const json::object* ref;
};

// The reference objects of `attribute`: the object itself, or each element of the array. Entries
// that are not objects are refused; entries equal to one of the previous version are left out
// (unchanged references are not checked again).
std::vector<Reference> new_references(const json::object& resource, const json::object* previous,
                                      const std::string& attribute) {
  std::vector<Reference> out;
  const json::value* v = resource.if_contains(attribute);
  if (!v || v->is_null()) return out;
  const json::value* before = previous ? previous->if_contains(attribute) : nullptr;
  auto seen_before = [before](const json::value& item) {
    if (!before) return false;
    if (before->is_array()) {
      for (const auto& old : before->get_array())
        if (old == item) return true;
      return false;
    }
    return *before == item;
  };
  auto add = [&](const json::value& item, std::string where) {
    if (!item.is_object()) throw ApiError::invalid_attribute(where, "must be an object");
    if (!seen_before(item)) out.push_back({std::move(where), &item.get_object()});
  };
  if (v->is_array()) {
    std::size_t i = 0;
    for (const auto& item : v->get_array()) add(item, attribute + "[" + std::to_string(i++) + "]");
  } else {
    add(*v, attribute);
  }
  return out;
}

// The id of a reference (mandatory in every reference type the three specs use).
std::string id_of(const Reference& r) {
  const json::value* id = r.ref->if_contains("id");
  if (!id || !id->is_string() || id->get_string().empty())
    throw ApiError::invalid_attribute(r.where + ".id", "is mandatory and must be a non-empty string");
  return std::string(id->get_string());
}

const char* entity_type(CatalogEntity e) {
  switch (e) {
  case CatalogEntity::ProductOffering: return "ProductOffering";
  case CatalogEntity::ProductSpecification: return "ProductSpecification";
  case CatalogEntity::ServiceSpecification: return "ServiceSpecification";
  case CatalogEntity::ResourceSpecification: return "ResourceSpecification";
  }
  return "";
}

// An href with a scheme ("https://..."): federated, or this server's under public_base_url.
bool has_absolute_href(const json::object& ref) {
  const json::value* href = ref.if_contains("href");
  return href && href->is_string() && href->get_string().find("://") != json::string::npos;
}

bool kind_exists(Resources& resources, const std::string& path) {
  try {
    resources.get(path, "");
    return true;
  } catch (const std::invalid_argument&) {
    return false;  // no module declares that collection
  }
}

} // namespace

ApiError missing_reference(const std::string& attribute, const std::string& type, const std::string& id) {
  return ApiError(400, "INVALID_REFERENCE", "Reference to a missing entity",
                  attribute + " refers to " + type + " '" + id + "', which does not exist");
}

void References::find_party_kinds(Resources& resources) {
  individuals_ = kind_exists(resources, kIndividuals);
  organizations_ = kind_exists(resources, kOrganizations);
  party_roles_ = kind_exists(resources, kPartyRoles);
  customers_ = kind_exists(resources, kCustomers);
  billing_accounts_ = kind_exists(resources, kBillingAccounts);
}

std::optional<json::object> References::catalog_entity(CatalogEntity entity, const std::string& id) const {
  switch (entity) {
  case CatalogEntity::ProductOffering: return catalog_->product_offering(id);
  case CatalogEntity::ProductSpecification: return catalog_->product_specification(id);
  case CatalogEntity::ServiceSpecification: return catalog_->service_specification(id);
  case CatalogEntity::ResourceSpecification: return catalog_->resource_specification(id);
  }
  return std::nullopt;
}

void References::complete_catalog(json::object& resource, const json::object* previous,
                                  const std::string& attribute, CatalogEntity entity) const {
  json::value* v = resource.if_contains(attribute);
  if (!v || v->is_null()) return;
  if (!v->is_object()) throw ApiError::invalid_attribute(attribute, "must be an object");
  const json::value* before = previous ? previous->if_contains(attribute) : nullptr;
  if (before && *before == *v) return;  // unchanged: not checked again
  json::object& ref = v->get_object();
  const std::string id = id_of({attribute, &ref});
  if (has_absolute_href(ref)) return;  // checked in the transaction (it may be federated)
  auto found = catalog_entity(entity, id);
  if (!found) throw missing_reference(attribute, entity_type(entity), id);
  // The reference carries the entity's href; a merge patch that changed only the id must not
  // keep the href of the entity referred to before.
  if (const json::value* href = found->if_contains("href"); href && href->is_string()) ref["href"] = *href;
}

void References::check_catalog(const json::object& resource, const json::object* previous,
                               const std::string& attribute, CatalogEntity entity, TransactionReader& work) const {
  for (const auto& r : new_references(resource, previous, attribute)) {
    const std::string id = id_of(r);
    if (!has_absolute_href(*r.ref) || work.is_external(*r.ref)) continue;  // validated, or another server's
    if (!catalog_entity(entity, id)) throw missing_reference(r.where, entity_type(entity), id);
  }
}

void References::check_inventory(const json::object& resource, const json::object* previous,
                                 const std::string& attribute, const std::string& target_path,
                                 const std::string& target_type, TransactionReader& work) const {
  for (const auto& r : new_references(resource, previous, attribute)) {
    const std::string id = id_of(r);
    if (work.is_external(*r.ref)) continue;
    // Read through the unit of work: an item created earlier in the same unit exists.
    if (!work.get(target_path, id)) throw missing_reference(r.where, target_type, id);
  }
}

void References::check_related_parties(const json::object& resource, const json::object* previous,
                                       TransactionReader& work) const {
  for (const auto& r : new_references(resource, previous, "relatedParty")) {
    const std::string id = id_of(r);
    const std::string type = string_at(*r.ref, "@referredType");
    if (type.empty())
      throw ApiError::invalid_attribute(r.where + ".@referredType", "is mandatory and must be a non-empty string");
    if (work.is_external(*r.ref)) continue;
    const std::string* path = nullptr;
    if (type == "Individual" && individuals_) path = &kIndividuals;
    else if (type == "Organization" && organizations_) path = &kOrganizations;
    else if (type == "PartyRole" && party_roles_) path = &kPartyRoles;
    else if (type == "Customer" && customers_) path = &kCustomers;
    if (!path) continue;  // a party this server does not hold (another type, or no party module)
    if (!work.get(*path, id)) throw missing_reference(r.where, type, id);
  }
}

void References::check_billing_account(const json::object& resource, const json::object* previous,
                                       TransactionReader& work) const {
  for (const auto& r : new_references(resource, previous, "billingAccount")) {
    const std::string id = id_of(r);
    if (work.is_external(*r.ref) || !billing_accounts_) continue;
    if (!work.get(kBillingAccounts, id)) throw missing_reference(r.where, "BillingAccount", id);
  }
}

} // namespace tmfd::inventory
