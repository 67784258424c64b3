#pragma once
// The orchestrator: turns an acknowledged product order into a plan (decompose.cpp), runs the
// plan's steps with their executors, rolls completion up from resource items to the product
// order, writes inventory as items complete (inventory_writer.cpp), and keeps the TMF views of
// the plan (orders, process flow, task flows: views.cpp) in step. Every entry point runs inside
// one unit of work, started by a durable reaction, a timer or a request, so that a step, what it
// changed and the states it moved commit together or not at all: a crash replays the reaction or
// timer, never half of it.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <tmfd/catalog_query.hpp>
#include <tmfd/fulfilment.hpp>
#include <tmfd/reactions.hpp>

#include "fulfilment_config.hpp"
#include "plan.hpp"

namespace tmfd::ordering {

// Timer handlers the orchestrator schedules.
inline const std::string kRetryTimer = "ordering.retry";          // try a failed step again
inline const std::string kWaitTimer = "ordering.wait-elapsed";    // a wait step's time is up
inline const std::string kTimeoutTimer = "ordering.step-timeout"; // a step ran too long
inline const std::string kJeopardyTimer = "ordering.jeopardy";    // the order runs late

class Orchestrator final : public Orchestration {
public:
  Orchestrator(FulfilmentConfig config, std::shared_ptr<catalog::CatalogQuery> catalog);

  const FulfilmentConfig& config() const { return config_; }
  std::vector<std::string> executor_names() const;

  // Reaction to ProductOrderCreateEvent: decomposes the order and starts its plan.
  void start_order(const std::string& order_id, UnitOfWork& work);
  // Reaction to ServiceOrderCreateEvent and ResourceOrderCreateEvent of an order posted directly
  // (`path`: its collection): the same, from its items (direct_orders.cpp).
  void start_direct_order(const std::string& path, const std::string& order_id, UnitOfWork& work);
  // Reaction to CancelProductOrderCreateEvent (cancellation.cpp).
  void cancel_order(const std::string& cancel_id, UnitOfWork& work);
  // Timers.
  void on_timer(const FiredTimer& timer, UnitOfWork& work);

  // Orchestration (tmfd/fulfilment.hpp).
  void add_executor(const std::string& name, std::shared_ptr<StepExecutor> executor) override;
  void hold(UnitOfWork& work, const std::string& order_id, const std::string& reason) override;
  void resume(UnitOfWork& work, const std::string& order_id) override;
  void pass_point_of_no_return(UnitOfWork& work, const std::string& order_id) override;
  bool past_point_of_no_return(UnitOfWork& work, const std::string& order_id) override;
  void complete_step(UnitOfWork& work, const std::string& step_id, const json::object& output) override;
  void fail_step(UnitOfWork& work, const std::string& step_id, const std::string& error) override;

  // The plan of an order, or nullopt.
  std::optional<Plan> find_plan(UnitOfWork& work, const std::string& order_id) const;
  // The request an executor gets for `step`.
  StepRequest request_of(const Plan& plan, const Step& step) const { return request_for(plan, step); }
  // Ends attempt `attempt` of a waiting step (an http call answered): ignored when the step has
  // moved on since (another attempt, cancelled, completed by hand).
  void finish_attempt(UnitOfWork& work, const std::string& order_id, const std::string& step_id, int attempt, bool ok,
                      const json::object& output, const std::string& error);

  // The order a step (taskFlow) belongs to; throws ApiError 404.
  std::string order_of_step(UnitOfWork& work, const std::string& step_id) const;

private:
  Plan load_plan(UnitOfWork& work, const std::string& order_id) const;
  // Starts a plan just decomposed from `order` (its root): child orders, flow, first steps.
  void launch(Plan& plan, const json::object& order, UnitOfWork& work);
  void save_plan(const Plan& plan, UnitOfWork& work, bool created);
  // Starts every step that can start, and rolls states up, until nothing more moves.
  void advance(Plan& plan, UnitOfWork& work);
  void run_step(Plan& plan, Step& step, UnitOfWork& work);
  void step_failed(Plan& plan, Step& step, const std::string& error, UnitOfWork& work);
  void step_completed(Plan& plan, Step& step, json::object output, UnitOfWork& work);
  bool roll_up(Plan& plan, UnitOfWork& work);
  StepRequest request_for(const Plan& plan, const Step& step) const;
  std::shared_ptr<StepExecutor> executor(const std::string& name) const;
  // Undoes completed steps (release allocations) of an order being cancelled.
  void undo_steps(Plan& plan, UnitOfWork& work);

  FulfilmentConfig config_;
  std::shared_ptr<catalog::CatalogQuery> catalog_;
  mutable std::mutex executors_mutex_;
  std::map<std::string, std::shared_ptr<StepExecutor>> executors_;

  friend void cancel_product_order(Orchestrator&, const std::string&, UnitOfWork&);
  friend void cancel_plan(Orchestrator&, Plan&, UnitOfWork&);
};

// True while the orchestrator itself changes orders on this thread: the order kinds' hooks let
// it move states that clients may not move.
bool orchestrator_is_writing();

class OrchestratorWriting {
public:
  OrchestratorWriting();
  ~OrchestratorWriting();
  OrchestratorWriting(const OrchestratorWriting&) = delete;
  OrchestratorWriting& operator=(const OrchestratorWriting&) = delete;

private:
  bool previous_;
};

} // namespace tmfd::ordering
