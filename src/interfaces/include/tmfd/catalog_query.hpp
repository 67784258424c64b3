#pragma once
// The catalog module's query service: the typed, in-process view of the catalogs (TMF620/633/634)
// for other modules: is an offering sellable, and what does it decompose into. It reads through
// the resource engine, never through HTTP.
//
// The catalog module publishes it as service CatalogQuery::kServiceName. A module that uses it
// depends on the catalog module, which therefore starts first and stops last:
//
//   TMFD_PLUGIN("ordering", "0.1.0", OrderingModule, {"catalog", nullptr})
//   auto catalog = ctx.services().get<catalog::CatalogQuery>(catalog::CatalogQuery::kServiceName);
//
// This header declares the interface only; the code is in the catalog module, and no plugin
// links another. Change the interface only with a new version in kServiceInterface.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd::catalog {

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
  static constexpr std::string_view kServiceInterface = "tmfd.catalog.CatalogQuery/1";
  static constexpr std::string_view kServiceName = "catalog.query";

  virtual ~CatalogQuery() = default;

  virtual std::optional<json::object> product_offering(const std::string& id) const = 0;
  virtual std::optional<json::object> product_specification(const std::string& id) const = 0;
  virtual std::optional<json::object> service_specification(const std::string& id) const = 0;
  virtual std::optional<json::object> resource_specification(const std::string& id) const = 0;

  // Resolves an offering down to resource specifications. Throws ApiError: 404 when the offering
  // does not exist, 422 (code NOT_SELLABLE) when it or a bundled offering is not sellable at
  // `now`, 422 (code BROKEN_CATALOG) when a referenced specification is missing or bundles
  // contain each other.
  virtual ResolvedOffering resolve_sellable_offering(const std::string& id, std::string_view now) const = 0;

  // Sellable: lifecycleStatus Active or Launched, and `now` (ISO 8601) inside validFor when the
  // entity has one. On false, `why` (if given) says which rule failed.
  virtual bool is_sellable(const json::object& entity, std::string_view now, std::string* why) const = 0;
};

} // namespace tmfd::catalog
