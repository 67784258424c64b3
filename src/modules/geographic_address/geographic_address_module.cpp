// The geographic_address module: TMF673 Geographic Address Management v4 on the kernel's resource
// engine. Addresses come from the operator's address book (the spec lets clients only read
// them); clients validate addresses against it through geographicAddressValidation tasks.
#include <fstream>
#include <stdexcept>

#include <tmfd/plugin.hpp>

#include "address_book.hpp"
#include "address_kinds.hpp"
#include "address_validation.hpp"
#include "sub_address_routes.hpp"

namespace tmfd::geographic_address {

class GeographicAddressModule final : public Module {
public:
  config::Schema config_schema() const override {
    return {config::Field{.name = "addresses",
                          .type = config::Type::String,
                          .description = "JSON file of GeographicAddress entries loaded at start while no address is stored",
                          .default_value = ""},
            config::Field{.name = "max_alternates",
                          .type = config::Type::Integer,
                          .description = "most alternateGeographicAddress entries a validation proposes",
                          .default_value = 5,
                          .min = 1,
                          .max = 100}};
  }

  void check_config(const json::object& cfg) const override {
    const std::string book(cfg.at("addresses").as_string());
    if (!book.empty() && !std::ifstream(book))
      throw std::invalid_argument("modules.geographic_address.addresses: cannot read '" + book + "'");
  }

  void start(ModuleContext& ctx) override {
    const auto& cfg = ctx.config();
    address_book_ = std::string(cfg.at("addresses").as_string());
    ValidationOptions options;
    options.max_alternates = static_cast<std::size_t>(cfg.at("max_alternates").as_int64());
    ctx.resources().add(address_kind(), address_hooks());
    ctx.resources().add(validation_kind(), validation_hooks(ctx.resources(), options));
    add_sub_address_routes(ctx.routes(), ctx.resources());
  }

  void serving(ModuleContext& ctx) override {
    if (address_book_.empty()) return;
    try {
      load_address_book(ctx.resources(), address_book_);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("geographic_address.addresses: ") + e.what());
    }
  }

private:
  std::string address_book_;
};

} // namespace tmfd::geographic_address

TMFD_PLUGIN("geographic_address", "0.1.0", tmfd::geographic_address::GeographicAddressModule, {nullptr})
