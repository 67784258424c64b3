#include "orchestrator.hpp"

#include <algorithm>
#include <chrono>

#include <tmfd/date_time.hpp>
#include <tmfd/error.hpp>
#include <tmfd/ids.hpp>
#include <tmfd/log.hpp>
#include <tmfd/query.hpp>

#include "builtin_executors.hpp"
#include "decompose.hpp"
#include "inventory_writer.hpp"
#include "json_fields.hpp"
#include "order_lifecycles.hpp"
#include "order_paths.hpp"
#include "views.hpp"

namespace tmfd::ordering {

namespace {

thread_local bool t_orchestrator_writing = false;

bool all_completed(const Plan& plan, const std::vector<std::string>& step_ids) {
  for (const auto& id : step_ids) {
    const auto it = std::find_if(plan.steps.begin(), plan.steps.end(), [&](const Step& s) { return s.id == id; });
    if (it == plan.steps.end() || it->state != "completed") return false;
  }
  return true;
}

template <class Items> bool any_in(const Items& items, const std::vector<std::string>& ids, std::string_view state) {
  for (const auto& i : items)
    if (i.state == state && std::find(ids.begin(), ids.end(), i.id) != ids.end()) return true;
  return false;
}

template <class Items> bool all_in(const Items& items, const std::vector<std::string>& ids, std::string_view state) {
  for (const auto& i : items)
    if (std::find(ids.begin(), ids.end(), i.id) != ids.end() && i.state != state) return false;
  return true;
}

std::vector<const Step*> steps_of(const Plan& plan, const std::string& owner) {
  std::vector<const Step*> out;
  for (const auto& s : plan.steps)
    if (s.owner == owner) out.push_back(&s);
  return out;
}

// Product items wait for those they depend on, and for the dependencies of their bundle.
bool product_may_run(const Plan& plan, const ProductItem& p) {
  if (!all_in(plan.product_items, p.after, "completed")) return false;
  if (p.parent.empty()) return true;
  for (const auto& parent : plan.product_items)
    if (parent.id == p.parent) return product_may_run(plan, parent);
  return true;
}

bool service_may_run(const Plan& plan, const ServiceItem& s) {
  if (!all_in(plan.service_items, s.after, "completed")) return false;
  for (const auto& p : plan.product_items)
    if (p.id == s.product_item) return product_may_run(plan, p);
  return true;
}

bool step_may_run(const Plan& plan, const Step& step) {
  if (!all_completed(plan, step.after)) return false;
  const auto colon = step.owner.find(':');
  const std::string item = step.owner.substr(colon + 1);
  if (step.owner.starts_with("resource:")) {
    for (const auto& r : plan.resource_items)
      if (r.id == item)
        for (const auto& s : plan.service_items)
          if (s.id == r.service_item) return service_may_run(plan, s);
    return true;
  }
  for (const auto& s : plan.service_items)
    if (s.id == item) return all_in(plan.resource_items, s.resource_items, "completed") && service_may_run(plan, s);
  return true;
}

// The states of the items whose outcome is the plan's: the product items, or the service or
// resource items of an order posted directly.
std::vector<std::string> root_item_states(const Plan& plan) {
  std::vector<std::string> out;
  if (plan.root == "serviceOrder")
    for (const auto& s : plan.service_items) out.push_back(s.state);
  else if (plan.root == "resourceOrder")
    for (const auto& r : plan.resource_items) out.push_back(r.state);
  else
    for (const auto& p : plan.product_items) out.push_back(p.state);
  return out;
}

// "product order", or "service order"/"resource order" for one posted directly: for messages.
std::string order_noun(const Plan& plan) {
  if (plan.root == "serviceOrder") return "service order";
  if (plan.root == "resourceOrder") return "resource order";
  return "product order";
}

std::chrono::system_clock::time_point after_ms(std::int64_t ms) {
  return std::chrono::system_clock::now() + std::chrono::milliseconds(ms);
}

} // namespace

bool orchestrator_is_writing() { return t_orchestrator_writing; }
OrchestratorWriting::OrchestratorWriting() : previous_(t_orchestrator_writing) { t_orchestrator_writing = true; }
OrchestratorWriting::~OrchestratorWriting() { t_orchestrator_writing = previous_; }

Orchestrator::Orchestrator(FulfilmentConfig config, std::shared_ptr<catalog::CatalogQuery> catalog)
    : config_(std::move(config)), catalog_(std::move(catalog)), executors_(builtin_executors(config_)) {}

std::vector<std::string> Orchestrator::executor_names() const {
  std::lock_guard lock(executors_mutex_);
  std::vector<std::string> out;
  for (const auto& [name, e] : executors_) out.push_back(name);
  return out;
}

void Orchestrator::add_executor(const std::string& name, std::shared_ptr<StepExecutor> executor) {
  if (name.empty() || !executor) throw std::invalid_argument("ordering: an executor needs a name and an object");
  std::lock_guard lock(executors_mutex_);
  if (!executors_.emplace(name, std::move(executor)).second)
    throw std::invalid_argument("ordering: executor '" + name + "' is registered already");
}

std::shared_ptr<StepExecutor> Orchestrator::executor(const std::string& name) const {
  std::lock_guard lock(executors_mutex_);
  auto it = executors_.find(name);
  return it == executors_.end() ? nullptr : it->second;
}

std::optional<Plan> Orchestrator::find_plan(UnitOfWork& work, const std::string& order_id) const {
  auto stored = work.get(kPlans, order_id);
  if (!stored) return std::nullopt;
  return plan_from_json(parse_object(stored->body));
}

Plan Orchestrator::load_plan(UnitOfWork& work, const std::string& order_id) const {
  auto plan = find_plan(work, order_id);
  if (!plan) {
    std::string noun = "product order";
    auto order = work.get(kProductOrders, order_id);
    if (!order && (order = work.get(kServiceOrders, order_id))) noun = "service order";  // posted directly
    if (!order && (order = work.get(kResourceOrders, order_id))) noun = "resource order";
    if (!order) throw ApiError::not_found("order '" + order_id + "' does not exist");
    const auto state = text_at(parse_object(order->body), "state");
    if (is_final_order_state(state))
      throw ApiError(409, "INVALID_STATE", "Order is final", noun + " '" + order_id + "' is " + state);
    throw ApiError(409, "NOT_STARTED", "Order not started", noun + " '" + order_id + "' has not started fulfilment yet");
  }
  return std::move(*plan);
}

void Orchestrator::save_plan(const Plan& plan, UnitOfWork& work, bool created) {
  auto body = to_json(plan);
  auto result = created ? work.create(kPlans, std::move(body)) : work.merge_patch(kPlans, plan.id, std::move(body));
  if (!result.ok()) throw std::runtime_error("ordering: plan " + plan.id + " not saved: " + result.error->detail());
}

std::string Orchestrator::order_of_step(UnitOfWork& work, const std::string& step_id) const {
  auto stored = work.get(kTaskFlows, step_id);
  if (!stored) throw ApiError::not_found("task flow '" + step_id + "' does not exist");
  const auto flow = parse_object(stored->body);
  // The first order named is the plan's root (views.cpp): the product order, or the service or
  // resource order posted directly.
  if (const auto* related = array_at(flow, "relatedEntity"))
    for (const auto& r : *related)
      if (const auto role = text_at(r.get_object(), "role");
          role == "productOrder" || role == "serviceOrder" || role == "resourceOrder")
        return text_at(r.get_object(), "id");
  throw ApiError(409, "NOT_ORCHESTRATED", "Not an orchestrated task", "task flow '" + step_id + "' belongs to no product order");
}

void Orchestrator::start_order(const std::string& order_id, UnitOfWork& work) {
  OrchestratorWriting writing;
  if (work.get(kPlans, order_id)) return;  // started already
  auto stored = work.get(kProductOrders, order_id);
  if (!stored) return;  // deleted before it started
  const auto order = parse_object(stored->body);
  if (text_at(order, "state") != "acknowledged") return;  // rejected, or moved by hand

  Plan plan;
  try {
    plan = decompose(order, *catalog_, config_, work, now_timestamp());
  } catch (const ApiError& e) {
    // The catalog or the inventory changed since the order was accepted: the order fails with why.
    json::object items_failed;
    work.merge_patch(kProductOrders, order_id, json::object{{"state", "inProgress"}});
    note_on_order(work, order_id, "decomposition failed: " + e.detail());
    auto current = parse_object(work.get(kProductOrders, order_id)->body);
    json::array items = *array_at(current, "productOrderItem");
    for (auto& i : items) i.get_object()["state"] = "inProgress";
    work.merge_patch(kProductOrders, order_id, json::object{{"productOrderItem", items}});
    for (auto& i : items) i.get_object()["state"] = "failed";
    auto failed = work.merge_patch(kProductOrders, order_id,
                                   json::object{{"state", "failed"}, {"productOrderItem", items}, {"completionDate", now_timestamp()}});
    if (!failed.ok()) throw std::runtime_error("ordering: could not fail order " + order_id);
    return;
  }
  launch(plan, order, work);
}

void Orchestrator::launch(Plan& plan, const json::object& order, UnitOfWork& work) {
  const std::string order_id = plan.id;
  plan.process_flow_id = new_uuid();
  if (plan.root == "serviceOrder") plan.service_order_id = plan.id;
  else if (!plan.service_items.empty()) plan.service_order_id = new_uuid();
  if (plan.root == "resourceOrder") plan.resource_order_id = plan.id;
  else if (!plan.resource_items.empty()) plan.resource_order_id = new_uuid();
  if (config_.point_of_no_return == "inProgress") plan.past_point_of_no_return = true;

  // The order is in jeopardy once past its requested completion date, or the configured time.
  auto due = std::chrono::system_clock::now() + std::chrono::seconds(config_.expected_completion_seconds);
  if (auto requested = date_time_ms(text_at(order, "requestedCompletionDate")))
    due = std::chrono::system_clock::time_point(std::chrono::milliseconds(*requested));
  work.schedule_timer("jeopardy:" + order_id, kJeopardyTimer, due, json::object{{"order", order_id}});

  advance(plan, work);
  // The child orders and the flow are created in the states the plan reached: an order fulfilled
  // at once writes each of them once.
  create_views(plan, order, work);
  sync_views(plan, work);
  // An order that ended within this unit needs no plan any more: its TMF resources say all there
  // is, and nothing (a timer, a cancellation, hold) acts on a final order. Not writing it saves
  // the largest row of the unit.
  if (plan.state == "running" || plan.state == "held") save_plan(plan, work, true);
}

void Orchestrator::advance(Plan& plan, UnitOfWork& work) {
  for (bool moved = true; moved && plan.state == "running";) {
    moved = false;
    for (std::size_t i = 0; i < plan.steps.size() && plan.state == "running"; ++i) {
      if (plan.steps[i].state != "new" || !step_may_run(plan, plan.steps[i])) continue;
      run_step(plan, plan.steps[i], work);
      moved = true;
    }
    if (roll_up(plan, work)) moved = true;
  }
}

StepRequest Orchestrator::request_for(const Plan& plan, const Step& step) const {
  StepRequest r;
  r.order_id = plan.id;
  r.step_id = step.id;
  r.step_name = step.name;
  r.attempt = step.attempts;
  r.parameters = step.parameters;
  r.customer = plan.customer;
  for (const auto& ri : plan.resource_items)
    if (step.owner == resource_owner(ri.id)) {
      r.action = ri.action;
      r.specification = ri.specification;
    }
  for (const auto& si : plan.service_items)
    if (step.owner == service_owner(si.id)) {
      r.action = si.action;
      r.specification = si.specification;
    }
  return r;
}

void Orchestrator::run_step(Plan& plan, Step& step, UnitOfWork& work) {
  step.state = "active";
  ++step.attempts;
  auto exec = executor(step.executor);
  StepOutcome outcome;
  if (!exec) {
    outcome = {StepOutcome::Status::Failed, {}, "no executor named '" + step.executor + "'"};
  } else {
    try {
      outcome = exec->start(request_for(plan, step), work);
    } catch (const ApiError& e) {
      outcome = {StepOutcome::Status::Failed, {}, e.detail().empty() ? e.reason() : e.detail()};
    } catch (const std::exception& e) {
      // An executor's own fault: logged with the order, shown on the task flow without internals.
      log::warn("ordering", "step executor failed", {{"order", plan.id}, {"step", step.id}, {"error", e.what()}});
      outcome = {StepOutcome::Status::Failed, {}, "executor '" + step.executor + "' failed"};
    }
  }
  switch (outcome.status) {
  case StepOutcome::Status::Completed: step_completed(plan, step, std::move(outcome.output), work); break;
  case StepOutcome::Status::Failed: step_failed(plan, step, outcome.error, work); break;
  case StepOutcome::Status::Waiting:
    if (const auto* t = step.parameters.if_contains("timeout_seconds"); t && t->is_int64())
      work.schedule_timer("timeout:" + step.id, kTimeoutTimer, after_ms(t->as_int64() * 1000),
                          json::object{{"order", plan.id}, {"step", step.id}, {"attempt", step.attempts}});
    break;
  }
}

void Orchestrator::step_completed(Plan& plan, Step& step, json::object output, UnitOfWork& work) {
  step.state = "completed";
  step.output = std::move(output);
  step.error.clear();
  work.cancel_timer("timeout:" + step.id);
  if (step.point_of_no_return) plan.past_point_of_no_return = true;
}

void Orchestrator::step_failed(Plan& plan, Step& step, const std::string& error, UnitOfWork& work) {
  step.error = error;
  work.cancel_timer("timeout:" + step.id);
  if (step.attempts < step.max_attempts) {
    // Backoff doubles from the first wait, up to a minute.
    const std::int64_t wait = std::min<std::int64_t>(step.first_retry_ms << std::min(step.attempts - 1, 16), 60000);
    work.schedule_timer("retry:" + step.id, kRetryTimer, after_ms(wait),
                        json::object{{"order", plan.id}, {"step", step.id}, {"attempt", step.attempts}});
    return;
  }
  step.state = "failed";
  const std::string why = "step '" + step.name + "' (task flow " + step.id + ") failed after " +
                          std::to_string(step.attempts) + " attempt(s): " + error;
  if (step.hold_on_failure) {
    plan.state = "held";
    plan.held_reason = why;
    plan.held_by_steps.push_back(step.id);
  }
  note_on_order(work, plan, why);
}

bool Orchestrator::roll_up(Plan& plan, UnitOfWork& work) {
  bool changed = false;
  for (auto& r : plan.resource_items) {
    if (r.state != "inProgress") continue;
    const auto steps = steps_of(plan, resource_owner(r.id));
    const auto* service = plan.service_item(r.service_item);
    const bool blocked = service && (service->state == "failed" || any_in(plan.service_items, service->after, "failed"));
    if (blocked || std::any_of(steps.begin(), steps.end(), [](const Step* s) { return s->state == "failed"; })) {
      r.state = "failed";
      changed = true;
      continue;
    }
    if (service && !service_may_run(plan, *service)) continue;
    if (std::all_of(steps.begin(), steps.end(), [](const Step* s) { return s->state == "completed"; })) {
      write_resource(plan, r, work, config_, r.action == "add" ? resource_type_of(*catalog_, r.specification) : std::string());
      r.state = "completed";
      changed = true;
    }
  }
  for (auto& s : plan.service_items) {
    if (s.state != "inProgress") continue;
    const auto steps = steps_of(plan, service_owner(s.id));
    if (any_in(plan.resource_items, s.resource_items, "failed") || any_in(plan.service_items, s.after, "failed") ||
        std::any_of(steps.begin(), steps.end(), [](const Step* st) { return st->state == "failed"; })) {
      s.state = "failed";
      changed = true;
      continue;
    }
    if (all_in(plan.resource_items, s.resource_items, "completed") && service_may_run(plan, s) &&
        std::all_of(steps.begin(), steps.end(), [](const Step* st) { return st->state == "completed"; })) {
      write_service(plan, s, work);
      s.state = "completed";
      changed = true;
    }
  }
  for (auto& p : plan.product_items) {
    if (p.state != "inProgress") continue;
    std::vector<std::string> parts;
    for (const auto& other : plan.product_items)
      if (other.parent == p.id) parts.push_back(other.id);
    // A product item fails once its services are all final and one failed (or what it waits for failed).
    const bool services_final = !any_in(plan.service_items, p.service_items, "inProgress");
    if ((services_final && any_in(plan.service_items, p.service_items, "failed")) ||
        any_in(plan.product_items, p.after, "failed") || any_in(plan.product_items, parts, "failed")) {
      p.state = "failed";
      changed = true;
      continue;
    }
    if (p.action == "noChange" ||
        (all_in(plan.service_items, p.service_items, "completed") && all_in(plan.product_items, parts, "completed") &&
         product_may_run(plan, p))) {
      if (p.action != "noChange") write_product(plan, p, work);
      p.state = "completed";
      changed = true;
    }
  }
  const auto outcomes = root_item_states(plan);
  if (plan.state == "running" && std::all_of(outcomes.begin(), outcomes.end(), [](const std::string& state) {
        return state == "completed" || state == "failed";
      })) {
    const auto completed = std::count(outcomes.begin(), outcomes.end(), "completed");
    plan.state = completed == static_cast<std::ptrdiff_t>(outcomes.size()) ? "completed"
                 : completed == 0                                                   ? "failed"
                                                                                    : "partial";
    // Items that could not run because something they needed failed end failed too.
    for (auto& r : plan.resource_items)
      if (r.state == "inProgress") r.state = "failed";
    for (auto& s : plan.service_items)
      if (s.state == "inProgress") s.state = "failed";
    for (auto& step : plan.steps)
      if (step.state == "new" || step.state == "active") {
        step.state = "cancelled";
        work.cancel_timer("retry:" + step.id);
        work.cancel_timer("timeout:" + step.id);
        work.cancel_timer("wait:" + step.id);
      }
    work.cancel_timer("jeopardy:" + plan.id);
    changed = true;
  }
  return changed;
}

void Orchestrator::on_timer(const FiredTimer& timer, UnitOfWork& work) {
  OrchestratorWriting writing;
  const std::string order_id = text_at(timer.payload, "order");
  auto found = find_plan(work, order_id);
  if (!found) return;
  Plan plan = std::move(*found);
  if (timer.handler == kJeopardyTimer) {
    if (plan.jeopardy_raised || (plan.state != "running" && plan.state != "held")) return;
    plan.jeopardy_raised = true;
    if (!plan.service_order_id.empty()) {
      auto so = parse_object(work.get(kServiceOrders, plan.service_order_id)->body);
      json::array alerts = array_at(so, "jeopardyAlert") ? *array_at(so, "jeopardyAlert") : json::array();
      alerts.push_back(json::object{{"id", new_uuid()}, {"alertDate", now_timestamp()}, {"jeopardyType", "late"},
                                    {"name", "expected completion passed"},
                                    {"message", (plan.root == "productOrder" ? "product order " : "order ") + order_id +
                                                   " is not complete by its expected date"}});
      work.merge_patch(kServiceOrders, plan.service_order_id, json::object{{"jeopardyAlert", std::move(alerts)}});
      work.emit_event(kServiceOrders, plan.service_order_id, "ServiceOrderJeopardyEvent");
    }
    note_on_order(work, plan, "jeopardy: the order is not complete by its expected completion date");
    if (plan.root == "productOrder") work.emit_event(kProductOrders, order_id, "ProductOrderJeopardyEvent");
    save_plan(plan, work, false);
    return;
  }
  Step* step = plan.step(text_at(timer.payload, "step"));
  if (!step || step->state != "active") return;
  const auto* attempt = timer.payload.if_contains("attempt");
  const bool same_attempt = attempt && attempt->is_int64() && attempt->as_int64() == step->attempts;
  if (!same_attempt) return;  // a timer of an earlier attempt
  if (timer.handler == kRetryTimer) {
    if (plan.state == "running") run_step(plan, *step, work);
    else step->state = "new";  // held: runs again on resume
  } else if (timer.handler == kWaitTimer) {
    step_completed(plan, *step, {}, work);
  } else if (timer.handler == kTimeoutTimer) {
    step_failed(plan, *step, "no answer within " + std::to_string(step->parameters.at("timeout_seconds").as_int64()) + " s", work);
  }
  advance(plan, work);
  sync_views(plan, work);
  save_plan(plan, work, false);
}

void Orchestrator::hold(UnitOfWork& work, const std::string& order_id, const std::string& reason) {
  OrchestratorWriting writing;
  Plan plan = load_plan(work, order_id);
  if (plan.state != "running")
    throw ApiError(409, "INVALID_STATE", "Cannot hold", order_noun(plan) + " '" + order_id + "' is " + order_state_of(plan));
  plan.state = "held";
  plan.held_reason = reason.empty() ? "held" : reason;
  note_on_order(work, plan, "held: " + plan.held_reason);
  sync_views(plan, work);
  save_plan(plan, work, false);
}

void Orchestrator::resume(UnitOfWork& work, const std::string& order_id) {
  OrchestratorWriting writing;
  Plan plan = load_plan(work, order_id);
  if (plan.state != "held")
    throw ApiError(409, "INVALID_STATE", "Cannot resume", order_noun(plan) + " '" + order_id + "' is " + order_state_of(plan));
  plan.state = "running";
  plan.held_reason.clear();
  for (auto& step : plan.steps)
    if (step.state == "failed") {
      step.state = "new";
      step.attempts = 0;
    }
  advance(plan, work);
  sync_views(plan, work);
  save_plan(plan, work, false);
}

void Orchestrator::pass_point_of_no_return(UnitOfWork& work, const std::string& order_id) {
  OrchestratorWriting writing;
  Plan plan = load_plan(work, order_id);
  if (plan.past_point_of_no_return) return;
  plan.past_point_of_no_return = true;
  save_plan(plan, work, false);
}

bool Orchestrator::past_point_of_no_return(UnitOfWork& work, const std::string& order_id) {
  return load_plan(work, order_id).past_point_of_no_return;
}

void Orchestrator::complete_step(UnitOfWork& work, const std::string& step_id, const json::object& output) {
  OrchestratorWriting writing;
  Plan plan = load_plan(work, order_of_step(work, step_id));
  Step* step = plan.step(step_id);
  if (!step || step->state != "active")
    throw ApiError(409, "INVALID_STATE", "Step not waiting", "task flow '" + step_id + "' is not active");
  step_completed(plan, *step, output, work);
  advance(plan, work);
  sync_views(plan, work);
  save_plan(plan, work, false);
}

void Orchestrator::fail_step(UnitOfWork& work, const std::string& step_id, const std::string& error) {
  OrchestratorWriting writing;
  Plan plan = load_plan(work, order_of_step(work, step_id));
  Step* step = plan.step(step_id);
  if (!step || step->state != "active")
    throw ApiError(409, "INVALID_STATE", "Step not waiting", "task flow '" + step_id + "' is not active");
  step_failed(plan, *step, error.empty() ? "failed" : error, work);
  advance(plan, work);
  sync_views(plan, work);
  save_plan(plan, work, false);
}

void Orchestrator::finish_attempt(UnitOfWork& work, const std::string& order_id, const std::string& step_id, int attempt,
                                  bool ok, const json::object& output, const std::string& error) {
  OrchestratorWriting writing;
  auto found = find_plan(work, order_id);
  if (!found) return;
  Plan plan = std::move(*found);
  Step* step = plan.step(step_id);
  if (!step || step->state != "active" || step->attempts != attempt) return;
  if (ok) step_completed(plan, *step, output, work);
  else step_failed(plan, *step, error, work);
  advance(plan, work);
  sync_views(plan, work);
  save_plan(plan, work, false);
}

void Orchestrator::undo_steps(Plan& plan, UnitOfWork& work) {
  for (auto& step : plan.steps) {
    if (step.state != "completed") continue;
    if (auto exec = executor(step.executor)) exec->undo(request_for(plan, step), step.output, work);
  }
}

} // namespace tmfd::ordering
