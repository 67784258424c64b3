#pragma once
// The typed, in-process view of the catalogs (TMF620/633/634) for other modules: is an offering
// sellable, and what does it decompose into. It reads through Resources, so it needs the catalog
// module to be enabled, and never goes through HTTP.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/json.hpp>
#include <tmfd/resources.hpp>

namespace tmfd::catalog {

inline constexpr std::string_view kProductCatalogPath = "/tmf-api/productCatalogManagement/v4";
inline constexpr std::string_view kServiceCatalogPath = "/tmf-api/serviceCatalogManagement/v4";
inline constexpr std::string_view kResourceCatalogPath = "/tmf-api/resourceCatalog/v4";

// The TMF catalog lifecycle (lifecycleStatus values).
inline const std::vector<std::string>& lifecycle_states() {
  static const std::vector<std::string> states = {"In study", "In design", "In test", "Active",
                                                  "Launched", "Retired",   "Obsolete", "Rejected"};
  return states;
}

// Sellable: lifecycleStatus Active or Launched, and `now` (ISO 8601 UTC) inside validFor when the
// entity has one. On false, `why` (if given) says which rule failed.
bool is_sellable(const json::object& entity, std::string_view now, std::string* why = nullptr);

struct ResolvedOffering {
  json::object offering;
  std::optional<json::object> product_specification;
  // The customer-facing service specifications of the product specification, then those they
  // reach through serviceSpecRelationship, each once, in discovery order.
  std::vector<json::object> service_specifications;
  // Resource specifications of the product and service specifications, each once.
  std::vector<json::object> resource_specifications;
  std::vector<ResolvedOffering> bundled;  // for bundles (isBundle), one per bundledProductOffering
};

class CatalogQuery {
public:
  explicit CatalogQuery(Resources& resources) : resources_(resources) {}

  std::optional<json::object> product_offering(const std::string& id) const;
  std::optional<json::object> product_specification(const std::string& id) const;
  std::optional<json::object> service_specification(const std::string& id) const;
  std::optional<json::object> resource_specification(const std::string& id) const;

  // Resolves an offering down to resource specifications. Throws ApiError: 404 when the offering
  // does not exist, 422 (code NOT_SELLABLE) when it or a bundled offering is not sellable at
  // `now`, 422 (code BROKEN_CATALOG) when a referenced specification is missing or bundles
  // contain each other.
  ResolvedOffering resolve_sellable_offering(const std::string& id, std::string_view now) const;

private:
  ResolvedOffering resolve(const std::string& id, std::string_view now, std::vector<std::string>& path) const;
  Resources& resources_;
};

// The catalog document used by importJob, exportJob and `tmfd import`: one JSON object whose keys
// are collection names of the three catalog APIs (e.g. "resourceSpecification",
// "productOffering"), each holding an array of resources. Entries come back in an order where
// specifications precede what uses them. Throws ApiError 400 for an unknown key, a value that is
// not an array, or an item that is not an object.
std::vector<ImportEntry> document_entries(const json::object& document);

// The collections a catalog document may hold (full collection paths), in import order.
const std::vector<std::string>& document_collection_paths();

// Reads every resource of the three catalogs into a catalog document (exportJob).
json::object export_document(Resources& resources);

} // namespace tmfd::catalog
