#pragma once
// Where the three catalog APIs live, and the lifecycle their entities share.
#include <string>
#include <string_view>
#include <vector>

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

} // namespace tmfd::catalog
