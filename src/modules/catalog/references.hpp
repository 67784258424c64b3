#pragma once
// Reference integrity between catalog entities. A kind lists the attributes that point at other
// entities ({id, href, name, @referredType} objects, alone or in arrays, or a bare id string such
// as category.parentId). On create and patch every target must exist; on delete, an entity that
// something still points at is refused with 409.
#include <string>
#include <vector>

#include <tmfd/resources.hpp>

namespace tmfd::catalog_module {

struct Reference {
  std::string attribute;        // e.g. "productSpecification", "bundledProductOffering"
  std::string target;           // collection path of what it points at
  bool bare_id = false;         // the attribute is the id string itself (parentId)
};

struct ReferencingKind {
  std::string collection_path;  // who points
  Reference reference;          // with which attribute
};

// Throws ApiError 400 (INVALID_REFERENCE) naming the first reference whose target is missing.
void check_references_exist(const json::object& entity, const std::vector<Reference>& references,
                            TransactionReader& reader);

// Throws ApiError 409 naming a kind that still refers to the entity.
void check_not_referenced(const json::object& entity, const std::vector<ReferencingKind>& referrers,
                          TransactionReader& reader);

} // namespace tmfd::catalog_module
