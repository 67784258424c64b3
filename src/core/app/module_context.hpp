#pragma once
// What a module receives while it starts: its validated config block and the kernel's services.
#include <tmfd/module.hpp>

#include "store/database.hpp"

namespace tmfd::app {

class ModuleContextImpl final : public ModuleContext {
public:
  ModuleContextImpl(std::string name, const json::object& config, Resources& resources,
                    http::RouteRegistry& routes, EventBus& bus, store::Database& db)
      : name_(std::move(name)), config_(config), resources_(resources), routes_(routes), bus_(bus), db_(db) {}

  const std::string& module_name() const override { return name_; }
  const json::object& config() const override { return config_; }
  Resources& resources() override { return resources_; }
  http::RouteRegistry& routes() override { return routes_; }
  EventBus& bus() override { return bus_; }
  void migrate(const std::vector<std::string>& statements) override { db_.migrate(name_, statements); }

private:
  std::string name_;
  const json::object& config_;
  Resources& resources_;
  http::RouteRegistry& routes_;
  EventBus& bus_;
  store::Database& db_;
};

} // namespace tmfd::app
