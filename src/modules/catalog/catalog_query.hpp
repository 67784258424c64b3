#pragma once
// The implementation of the catalog query service (tmfd/catalog_query.hpp), which the module
// publishes for other modules.
#include <tmfd/catalog_query.hpp>
#include <tmfd/resources.hpp>

namespace tmfd::catalog {

class CatalogQueryService final : public CatalogQuery {
public:
  explicit CatalogQueryService(Resources& resources) : resources_(resources) {}

  std::optional<json::object> product_offering(const std::string& id) const override;
  std::optional<json::object> product_specification(const std::string& id) const override;
  std::optional<json::object> service_specification(const std::string& id) const override;
  std::optional<json::object> resource_specification(const std::string& id) const override;
  ResolvedOffering resolve_sellable_offering(const std::string& id, std::string_view now) const override;
  bool is_sellable(const json::object& entity, std::string_view now, std::string* why) const override;

private:
  ResolvedOffering resolve(const std::string& id, std::string_view now, std::vector<std::string>& path) const;
  Resources& resources_;
};

} // namespace tmfd::catalog
