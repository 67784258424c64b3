#pragma once
// What a module receives while it starts: its validated config block and the kernel's services.
#include <tmfd/module.hpp>

#include <memory>

#include "app/service_registry.hpp"
#include "delivery/delivery_service.hpp"
#include "http/filter_chain.hpp"
#include "observability/health_checks.hpp"
#include "observability/metric_registry.hpp"
#include "reaction/reaction_service.hpp"
#include "store/database.hpp"

namespace tmfd::app {

class ModuleContextImpl final : public ModuleContext {
public:
  ModuleContextImpl(std::string name, const json::object& config, Resources& resources,
                    http::RouteRegistry& routes, EventBus& bus, store::Database& db,
                    delivery::DeliveryService& delivery, observability::MetricRegistry& metrics,
                    observability::HealthChecks& health, reaction::ReactionService& reactions,
                    http::FilterChain& filters)
      : name_(std::move(name)), config_(config), resources_(resources), routes_(routes), bus_(bus), db_(db),
        delivery_(delivery), metrics_(metrics), health_(health), reactions_(reactions), filters_(filters) {}

  const std::string& module_name() const override { return name_; }
  const json::object& config() const override { return config_; }
  Resources& resources() override { return resources_; }
  http::RouteRegistry& routes() override { return routes_; }
  EventBus& bus() override { return bus_; }
  void migrate(const std::vector<std::string>& statements) override { db_.migrate(name_, statements); }
  Hubs& hubs() override { return delivery_.hubs(); }
  std::unique_ptr<EventStream> open_event_stream(const std::string& consumer, StreamStart first_start) override {
    return delivery_.streams().open(consumer, first_start);
  }
  metrics::Registry& metrics() override { return metrics_; }
  void add_health_check(HealthCheck check) override { health_.add(std::move(check)); }

  // --- Stateful modules ---
  Reactions& reactions() override { return reactions_; }

  // --- The HTTP filter chain ---
  void add_filter(http::FilterSpec spec) override { filters_.add(std::move(spec)); }

  // --- Module services ------------------------------------------------------------------------
  // Set by the kernel before the module starts (a context without one has no services to give).
  void set_services(std::unique_ptr<ServiceView> services) { services_ = std::move(services); }
  Services& services() override {
    if (!services_) throw ServiceError("module '" + name_ + "': no service registry in this context");
    return *services_;
  }

private:
  std::string name_;
  const json::object& config_;
  Resources& resources_;
  http::RouteRegistry& routes_;
  EventBus& bus_;
  store::Database& db_;
  delivery::DeliveryService& delivery_;
  observability::MetricRegistry& metrics_;
  observability::HealthChecks& health_;
  reaction::ReactionService& reactions_;
  http::FilterChain& filters_;


  // --- Module services ------------------------------------------------------------------------
  std::unique_ptr<ServiceView> services_;
};

} // namespace tmfd::app
