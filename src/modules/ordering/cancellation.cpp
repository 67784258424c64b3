#include "cancellation.hpp"

#include <tmfd/query.hpp>

#include "inventory_writer.hpp"
#include "json_fields.hpp"
#include "order_lifecycles.hpp"
#include "order_paths.hpp"
#include "orchestrator.hpp"
#include "views.hpp"

namespace tmfd::ordering {

namespace {

json::object load(UnitOfWork& work, const std::string& path, const std::string& id) {
  auto stored = work.get(path, id);
  if (!stored) throw std::runtime_error("ordering: " + path + "/" + id + " is missing");
  return parse_object(stored->body);
}

void patch(UnitOfWork& work, const std::string& path, const std::string& id, json::object body) {
  auto r = work.merge_patch(path, id, std::move(body));
  if (!r.ok()) throw std::runtime_error("ordering: " + path + "/" + id + " refused: " + r.error->detail());
}

void end_task(UnitOfWork& work, const std::string& path, const std::string& id, const std::string& state,
              const std::string& why) {
  json::object body{{"state", state}};
  if (state == "done") body["effectiveCancellationDate"] = now_timestamp();
  if (!why.empty()) body["description"] = why;  // the reason a cancellation was refused
  patch(work, path, id, std::move(body));
}

// Moves the product order and its unfinished items through the given states, one write each.
void move_order_and_items(UnitOfWork& work, const std::string& order_id, std::initializer_list<const char*> states) {
  for (const char* state : states) {
    auto order = load(work, kProductOrders, order_id);
    json::array items = array_at(order, "productOrderItem") ? *array_at(order, "productOrderItem") : json::array();
    for (auto& i : items) {
      const auto s = text_at(i.get_object(), "state");
      if (!is_final_order_state(s)) i.get_object()["state"] = state;
    }
    patch(work, kProductOrders, order_id, json::object{{"state", state}, {"productOrderItem", std::move(items)}});
  }
}

void terminate_created_inventory(Plan& plan, UnitOfWork& work, const FulfilmentConfig& config) {
  const std::string now = now_timestamp();
  for (auto& p : plan.product_items)
    if (p.action == "add" && !p.product_id.empty()) {
      ProductItem end = p;
      end.action = "delete";
      write_product(plan, end, work);
    }
  for (auto& s : plan.service_items)
    if (s.action == "add" && !s.service_id.empty()) {
      ServiceItem end = s;
      end.action = "delete";
      write_service(plan, end, work);
    }
  for (auto& r : plan.resource_items)
    if (r.action == "add" && !r.resource_id.empty()) {
      ResourceItem end = r;
      end.action = "delete";
      write_resource(plan, end, work, config);
    }
}

} // namespace

void cancel_plan(Orchestrator& orchestrator, Plan& plan, UnitOfWork& work) {
  orchestrator.undo_steps(plan, work);
  terminate_created_inventory(plan, work, orchestrator.config());
  for (auto& step : plan.steps) {
    for (const char* timer : {"retry:", "timeout:", "wait:"}) work.cancel_timer(timer + step.id);
    if (step.state != "completed") step.state = "cancelled";
  }
  work.cancel_timer("jeopardy:" + plan.id);
  // Items that completed stay completed (what they made is terminated above); the others end cancelled.
  for (auto& i : plan.resource_items)
    if (i.state == "inProgress") i.state = "cancelled";
  for (auto& i : plan.service_items)
    if (i.state == "inProgress") i.state = "cancelled";
  for (auto& i : plan.product_items)
    if (i.state == "inProgress") i.state = "cancelled";
  plan.state = "cancelled";
  sync_views(plan, work);
  auto body = to_json(plan);
  if (auto r = work.merge_patch(kPlans, plan.id, std::move(body)); !r.ok())
    throw std::runtime_error("ordering: plan " + plan.id + " not saved");
}

void cancel_product_order(Orchestrator& orchestrator, const std::string& cancel_id, UnitOfWork& work) {
  OrchestratorWriting writing;
  auto task = load(work, kCancelProductOrders, cancel_id);
  if (text_at(task, "state") != "acknowledged") return;  // handled before
  patch(work, kCancelProductOrders, cancel_id, json::object{{"state", "inProgress"}});
  const auto* order_ref = object_at(task, "productOrder");
  const std::string order_id = order_ref ? text_at(*order_ref, "id") : std::string();
  auto stored = work.get(kProductOrders, order_id);
  if (!stored) return end_task(work, kCancelProductOrders, cancel_id, "terminatedWithError", "the product order no longer exists");
  auto order = parse_object(stored->body);
  const std::string state = text_at(order, "state");
  if (is_final_order_state(state))
    return end_task(work, kCancelProductOrders, cancel_id, "terminatedWithError", "the product order is " + state);

  auto plan = orchestrator.find_plan(work, order_id);
  if (plan && plan->past_point_of_no_return) {
    // Assessed and denied: the order goes back to where it was.
    if (state == "inProgress" || state == "held" || state == "pending") {
      move_order_and_items(work, order_id, {"assessingCancellation"});
      move_order_and_items(work, order_id, {state.c_str()});
    }
    note_on_order(work, order_id, "cancellation " + cancel_id + " refused: the order passed its point of no return");
    return end_task(work, kCancelProductOrders, cancel_id, "terminatedWithError",
                    "the product order passed its point of no return");
  }
  if (state == "acknowledged") move_order_and_items(work, order_id, {"inProgress"});
  move_order_and_items(work, order_id, {"assessingCancellation", "pendingCancellation"});
  const std::string reason = text_at(task, "cancellationReason");
  if (plan) {
    cancel_plan(orchestrator, *plan, work);
  } else {
    move_order_and_items(work, order_id, {"cancelled"});
  }
  json::object fields{{"cancellationDate", now_timestamp()}};
  if (!reason.empty()) fields["cancellationReason"] = reason;
  patch(work, kProductOrders, order_id, std::move(fields));
  end_task(work, kCancelProductOrders, cancel_id, "done", "");
}

void cancel_child_order(Orchestrator& orchestrator, const std::string& cancel_path, const std::string& order_path,
                        const std::string& order_key, const std::string& cancel_id, UnitOfWork& work) {
  OrchestratorWriting writing;
  auto task = load(work, cancel_path, cancel_id);
  const auto first = text_at(task, "state");
  if (first != "acknowledged" && first != "accepted") return;
  patch(work, cancel_path, cancel_id, json::object{{"state", "inProgress"}});
  const auto* ref = object_at(task, order_key);
  const std::string order_id = ref ? text_at(*ref, "id") : std::string();
  auto stored = work.get(order_path, order_id);
  if (!stored) return end_task(work, cancel_path, cancel_id, "terminatedWithError", "the order no longer exists");
  auto order = parse_object(stored->body);
  // An order posted directly and being fulfilled: undone like a product order, unless past its
  // point of no return.
  if (auto plan = orchestrator.find_plan(work, order_id); plan && (plan->state == "running" || plan->state == "held")) {
    if (plan->past_point_of_no_return) {
      note_on(work, order_path, order_id, "cancellation " + cancel_id + " refused: the order passed its point of no return");
      return end_task(work, cancel_path, cancel_id, "terminatedWithError", "the order passed its point of no return");
    }
    cancel_plan(orchestrator, *plan, work);
    // TMF641 records when and why an order was cancelled; TMF652 has no such fields.
    if (order_path == kServiceOrders) {
      json::object fields{{"cancellationDate", now_timestamp()}};
      if (const auto reason = text_at(task, "cancellationReason"); !reason.empty()) fields["cancellationReason"] = reason;
      patch(work, order_path, order_id, std::move(fields));
    }
    return end_task(work, cancel_path, cancel_id, "done", "");
  }
  // Orders the orchestrator made name the order they fulfil (and are never acknowledged: a
  // client's order may name its own product order in externalReference).
  if (const auto parent = fulfilled_order_of(order); !parent.empty() && text_at(order, "state") != "acknowledged")
    return end_task(work, cancel_path, cancel_id, "terminatedWithError", "this order fulfils " + parent + ": cancel that order");
  const std::string state = text_at(order, "state");
  const Lifecycle lc = order_path == kServiceOrders ? service_order_lifecycle() : resource_order_lifecycle();
  std::vector<std::string> path;
  try {
    path = state_path(lc, state, "cancelled");
  } catch (const std::logic_error&) {
    return end_task(work, cancel_path, cancel_id, "terminatedWithError", "an order in state " + state + " cannot be cancelled");
  }
  for (const auto& s : path) patch(work, order_path, order_id, json::object{{"state", s}});
  end_task(work, cancel_path, cancel_id, "done", "");
}

} // namespace tmfd::ordering
