// The ordering module: TMF622 product ordering, TMF641 service ordering, TMF652 resource
// ordering and TMF701 process flows, with the orchestrator that decomposes product orders through
// the catalog and fulfils them down to the inventories (docs/modules/ordering.md).
#include <tmfd/error.hpp>
#include <tmfd/log.hpp>
#include <tmfd/plugin.hpp>

#include "builtin_executors.hpp"
#include "cancellation.hpp"
#include "direct_orders.hpp"
#include "fulfilment_config.hpp"
#include "http_executor.hpp"
#include "json_fields.hpp"
#include "order_kinds.hpp"
#include "order_paths.hpp"
#include "orchestrator.hpp"
#include "task_flow_routes.hpp"
#include "views.hpp"

namespace tmfd::ordering {

namespace {

// POST <order>/{id}/hold and /resume: the control points, for operators and adapters. A service
// or resource order made for another order is held and resumed through that one: its fulfilment
// is the other order's plan.
ResourceAction control_action(std::shared_ptr<Orchestrator> orchestrator, const char* name, std::string path) {
  const std::string action = name;
  return ResourceAction{action, [orchestrator, action, path](const StoredResource& stored, const json::object& request, UnitOfWork& work) {
    const auto order = parse_object(stored.body);
    const std::string id = text_at(order, "id");
    if (path != kProductOrders)
      if (const auto parent = fulfilled_order_of(order); !parent.empty())
        throw ApiError(409, "NOT_A_ROOT_ORDER", "Order fulfils another",
                       "this order is part of the fulfilment of " + parent + ": " + action + " that one");
    if (action == "hold") orchestrator->hold(work, id, text_at(request, "reason"));
    else orchestrator->resume(work, id);
    auto now = work.get(path, id);
    return ActionResult{200, now ? now->body : stored.body};
  }};
}

} // namespace

class OrderingModule final : public Module {
public:
  config::Schema config_schema() const override { return ordering_config_schema(); }

  // Executors of plugins are known only once they start; serving() checks those names.
  void check_config(const json::object& block) const override {
    const auto config = read_fulfilment_config(block, {});
    // The CA file is read as the http steps' sender will read it, so a bad one stops start-up
    // (and --check-config) instead of failing every https:// call later.
    if (!config.http_ca_file.empty()) try {
        HttpSender probe(config.http_ca_file);
      } catch (const std::runtime_error& e) {
        throw std::invalid_argument(std::string("modules.ordering.http_ca_file: ") + e.what());
      }
  }

  void start(ModuleContext& ctx) override {
    auto catalog = ctx.services().get<catalog::CatalogQuery>(catalog::CatalogQuery::kServiceName);
    orchestrator_ = std::make_shared<Orchestrator>(read_fulfilment_config(ctx.config(), {}), catalog);
    declare_order_kinds(ctx.resources(), catalog, text_at(ctx.config(), "on_invalid_order") == "reject",
                        allocated_characteristics(orchestrator_->config()));
    add_task_flow_routes(ctx.routes(), ctx.resources(), orchestrator_);
    for (const auto& path : {kProductOrders, kServiceOrders, kResourceOrders}) {
      ctx.resources().add_action(path, control_action(orchestrator_, "hold", path));
      ctx.resources().add_action(path, control_action(orchestrator_, "resume", path));
    }

    auto orchestrator = orchestrator_;
    // Earliest: orders accepted while the module's reactions never ran (first start) still run.
    ctx.reactions().add(Reaction{.name = "ordering.start",
                                 .filter = "eventType=ProductOrderCreateEvent",
                                 .handler = [orchestrator](const Event& e, UnitOfWork& work) {
                                   orchestrator->start_order(e.resource_id, work);
                                 },
                                 .retry = {},
                                 .first_start = StreamStart::Earliest});
    // Service and resource orders posted directly (the filters leave out those the orchestrator makes).
    ctx.reactions().add(Reaction{.name = "ordering.start-service-order",
                                 .filter = kDirectServiceOrderFilter,
                                 .handler = [orchestrator](const Event& e, UnitOfWork& work) {
                                   orchestrator->start_direct_order(kServiceOrders, e.resource_id, work);
                                 },
                                 .retry = {},
                                 .first_start = StreamStart::Earliest});
    ctx.reactions().add(Reaction{.name = "ordering.start-resource-order",
                                 .filter = kDirectResourceOrderFilter,
                                 .handler = [orchestrator](const Event& e, UnitOfWork& work) {
                                   orchestrator->start_direct_order(kResourceOrders, e.resource_id, work);
                                 },
                                 .retry = {},
                                 .first_start = StreamStart::Earliest});
    ctx.reactions().add(Reaction{.name = "ordering.cancel-product-order",
                                 .filter = "eventType=CancelProductOrderCreateEvent",
                                 .handler = [orchestrator](const Event& e, UnitOfWork& work) {
                                   cancel_product_order(*orchestrator, e.resource_id, work);
                                 },
                                 .retry = {},
                                 .first_start = StreamStart::Earliest});
    ctx.reactions().add(Reaction{.name = "ordering.cancel-service-order",
                                 .filter = "eventType=CancelServiceOrderCreateEvent",
                                 .handler = [orchestrator](const Event& e, UnitOfWork& work) {
                                   cancel_child_order(*orchestrator, kCancelServiceOrders, kServiceOrders, "serviceOrder", e.resource_id, work);
                                 },
                                 .retry = {},
                                 .first_start = StreamStart::Earliest});
    ctx.reactions().add(Reaction{.name = "ordering.cancel-resource-order",
                                 .filter = "eventType=CancelResourceOrderCreateEvent",
                                 .handler = [orchestrator](const Event& e, UnitOfWork& work) {
                                   cancel_child_order(*orchestrator, kCancelResourceOrders, kResourceOrders, "resourceOrder", e.resource_id, work);
                                 },
                                 .retry = {},
                                 .first_start = StreamStart::Earliest});
    for (const auto& name : {kRetryTimer, kWaitTimer, kTimeoutTimer, kJeopardyTimer})
      ctx.reactions().add_timer_handler(TimerHandler{
          name, [orchestrator](const FiredTimer& timer, UnitOfWork& work) { orchestrator->on_timer(timer, work); }, {}});

    // The http executor's calls run on worker threads of the module, started once serving.
    http_caller_ = std::make_unique<HttpCaller>(ctx.resources(), orchestrator_, 2, orchestrator_->config().http_ca_file);
    orchestrator_->add_executor("http", http_caller_->executor());
    ctx.reactions().add_timer_handler(TimerHandler{
        kCallTimer, [caller = http_caller_.get()](const FiredTimer& timer, UnitOfWork& work) { caller->on_call_timer(timer, work); }, {}});

    ctx.services().publish<Orchestration>(Orchestration::kServiceName, orchestrator_);
  }

  void stop() noexcept override {
    if (http_caller_) http_caller_->stop();
  }

  void serving(ModuleContext&) override {
    http_caller_->start();
    http_caller_->resume_waiting_calls();
    // Every plugin that adds executors has started: a plan naming an unknown one is a config error.
    const auto known = orchestrator_->executor_names();
    for (const auto& [spec, steps] : orchestrator_->config().plans)
      for (const auto& step : steps)
        if (std::find(known.begin(), known.end(), step.executor) == known.end())
          throw std::invalid_argument("modules.ordering.plans." + spec + ".steps." + step.name +
                                      ".executor: no executor named '" + step.executor + "' (enable the plugin that adds it)");
    log::info("ordering", "orchestrator ready", {{"plans", orchestrator_->config().plans.size()},
                                                 {"pools", orchestrator_->config().pools.size()}});
  }

private:
  std::shared_ptr<Orchestrator> orchestrator_;
  std::unique_ptr<HttpCaller> http_caller_;
};

} // namespace tmfd::ordering

TMFD_PLUGIN("ordering", "0.1.0", tmfd::ordering::OrderingModule, {"catalog", "inventory", nullptr})
