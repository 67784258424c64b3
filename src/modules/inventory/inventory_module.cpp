// The inventory module: TMF637 Product, TMF638 Service and TMF639 Resource Inventory v4 on the
// kernel's resource engine.
//   /tmf-api/productInventory/v4/product[/{id}]                  products
//   /tmf-api/serviceInventory/v4/service[/{id}]                  services
//   /tmf-api/resourceInventoryManagement/v4/resource[/{id}]      resources
//   {base}/hub[/{id}]    served by the kernel for every API base path with kinds
// Depends on the catalog module, whose CatalogQuery service checks the catalog references. The
// ordering module fills the inventories as its orders complete. No keys besides `enabled`.
#include <tmfd/plugin.hpp>

#include "inventory_kinds.hpp"

namespace tmfd::inventory {

class InventoryModule final : public Module {
public:
  void start(ModuleContext& ctx) override {
    auto catalog = ctx.services().get<catalog::CatalogQuery>(catalog::CatalogQuery::kServiceName);
    refs_ = std::make_shared<References>(std::move(catalog));
    for (auto make : {product_inventory, service_inventory, resource_inventory}) {
      auto k = make(refs_);
      ctx.resources().add(std::move(k.kind), std::move(k.hooks));
    }
  }

  // Every module has declared its kinds by now, and no request is served yet.
  void serving(ModuleContext& ctx) override { refs_->find_party_kinds(ctx.resources()); }

private:
  std::shared_ptr<References> refs_;
};

} // namespace tmfd::inventory

TMFD_PLUGIN("inventory", "0.1.0", tmfd::inventory::InventoryModule, {"catalog", nullptr})
