#pragma once
// The implementation of the catalog query service (tmfd/catalog_query.hpp), which the module
// publishes for other modules.
#include <tmfd/catalog_query.hpp>
#include <tmfd/resources.hpp>

#include "entity_cache.hpp"

namespace tmfd::catalog {

class CatalogQueryService final : public CatalogQuery {
public:
  explicit CatalogQueryService(Resources& resources) : resources_(resources) {}

  // A catalog event: the entity it names is read from the store again next time.
  void entity_changed(const std::string& collection, const std::string& id) { cache_.drop(collection, id); }

  std::optional<json::object> product_offering(const std::string& id) const override;
  std::optional<json::object> product_specification(const std::string& id) const override;
  std::optional<json::object> service_specification(const std::string& id) const override;
  std::optional<json::object> resource_specification(const std::string& id) const override;
  ResolvedOffering resolve_sellable_offering(const std::string& id, std::string_view now) const override;
  bool is_sellable(const json::object& entity, std::string_view now, std::string* why) const override;

private:
  ResolvedOffering resolve(const std::string& id, std::string_view now, std::vector<std::string>& path) const;
  std::optional<json::object> read(std::string_view base, const std::string& collection, const std::string& id) const;
  Resources& resources_;
  mutable EntityCache cache_;
};

} // namespace tmfd::catalog
