#pragma once
// The resource kinds of the catalog module, one function per TMF API, and the helpers they share.
#include <string>
#include <vector>

#include <tmfd/resources.hpp>

#include "catalog_paths.hpp"
#include "jobs.hpp"
#include "references.hpp"

namespace tmfd::catalog_module {

// A kind with the references it holds (checked on write) and its module hooks.
struct CatalogKind {
  ResourceKind kind;
  std::vector<Reference> references;
  ResourceHooks hooks;
};

std::vector<CatalogKind> product_catalog_kinds();   // TMF620
std::vector<CatalogKind> service_catalog_kinds();   // TMF633
std::vector<CatalogKind> resource_catalog_kinds();  // TMF634

// The TMF lifecycle of catalog entities on lifecycleStatus, starting "In study".
Lifecycle catalog_lifecycle();
// importJob and exportJob of one API (the three catalogs each have their own).
std::vector<CatalogKind> job_kinds(const std::string& base_path, const std::string& api, const JobOptions& options);

inline Attribute str(const char* n) { return {n, AttributeType::String}; }
inline Attribute date(const char* n) { return {n, AttributeType::DateTime}; }
inline Attribute arr(const char* n) { return {n, AttributeType::Array}; }
inline Attribute obj(const char* n) { return {n, AttributeType::Object}; }
inline Attribute boolean(const char* n) { return {n, AttributeType::Boolean}; }
inline Attribute number(const char* n) { return {n, AttributeType::Number}; }
inline Attribute integer(const char* n) { return {n, AttributeType::Integer}; }

// What every catalog entity of the three APIs shares: mandatory name, indexed name and
// lifecycleStatus (plus `indexed`), the TMF lifecycle, lastUpdate, version and validFor checks, and
// the characteristic specifications held in `characteristics` (when not null).
struct EntityApi {
  std::string name;  // event domain and metrics label, e.g. "productCatalog"
  std::string base;  // API base path
};
CatalogKind catalog_entity(const EntityApi& api, const char* collection, const char* type,
                           std::vector<Attribute> attributes, std::vector<std::string> indexed, EventNames events,
                           std::vector<Reference> references, const char* characteristics = nullptr);

// Attributes every versioned catalog entity has.
std::vector<Attribute> entity_attributes(std::vector<Attribute> own);

// validFor.startDateTime and endDateTime, when present, are RFC 3339 date-times (the sellable
// rule compares them).
void check_valid_for(const json::object& entity);

// Sets version "1.0" when a new entity has none (the server keeps a version on every entity).
void default_version(json::object& entity, const json::object* previous);

// Checks characteristic specifications held in `attribute`: each needs a name, cardinalities are
// non-negative integers with min <= max, and values are objects.
void check_characteristics(const json::object& entity, const char* attribute);

} // namespace tmfd::catalog_module
