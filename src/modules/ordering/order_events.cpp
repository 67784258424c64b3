#include "order_events.hpp"

#include <set>

#include <tmfd/query.hpp>

#include "json_fields.hpp"
#include "order_paths.hpp"
#include "views.hpp"

namespace tmfd::ordering {

namespace {

// The TMF type of the orders stored at `path` (ProductOrder, ServiceOrder, ResourceOrder).
std::string order_type_of(const std::string& path) {
  if (path == kServiceOrders) return "ServiceOrder";
  if (path == kResourceOrders) return "ResourceOrder";
  return "ProductOrder";
}

void information_required(UnitOfWork& work, const std::string& path, const std::string& id, const std::string& text) {
  note_on(work, path, id, text);
  work.emit_event(path, id, order_type_of(path) + "InformationRequiredEvent");
}

// "step 'name' of service order item 1"
std::string step_label(const Step& step) {
  const bool resource_step = step.owner.starts_with("resource:");
  return "step '" + step.name + "' of " + (resource_step ? "resource" : "service") + " order item " +
         step.owner.substr(step.owner.find(':') + 1);
}

// On the order the client placed, and on the child order the step belongs to when it is another.
void announce(const Plan& plan, const Step& step, const std::string& text, UnitOfWork& work) {
  const bool resource_step = step.owner.starts_with("resource:");
  const std::string root = root_order_path(plan);
  information_required(work, root, plan.id, text);
  // The child order the step belongs to, when it is not the order the client placed.
  const std::string& child = resource_step ? plan.resource_order_id : plan.service_order_id;
  if (!child.empty() && child != plan.id) information_required(work, resource_step ? kResourceOrders : kServiceOrders, child, text);
}

} // namespace

std::string milestone_id_of_item(const std::string& item_id) { return "item-" + item_id + "-completed"; }

json::object milestone_of(const ServiceItem& s) {
  std::string message = "service order item " + s.id + " (" + s.action + " " +
                        (text_at(s.specification, "name").empty() ? text_at(s.specification, "id")
                                                                  : text_at(s.specification, "name")) +
                        ") completed";
  if (!s.service_id.empty()) message += ": service " + s.service_id;
  return json::object{{"id", milestone_id_of_item(s.id)},
                      {"name", "serviceOrderItemCompleted"},
                      {"description", "a service order item reached completed"},
                      {"message", std::move(message)},
                      {"milestoneDate", now_timestamp()},
                      {"status", "reached"},
                      {"@type", "Milestone"}};
}

void announce_waiting_step(const Plan& plan, const Step& step, UnitOfWork& work) {
  const std::string href = kProcessFlows + "/" + plan.process_flow_id + "/taskFlow/" + step.id;
  announce(plan, step, "information required: " + step_label(step) + " waits for a person; complete it with PATCH " +
                           href + " {\"state\": \"completed\"}", work);
}

void announce_holding_step(const Plan& plan, const Step& step, UnitOfWork& work) {
  announce(plan, step, "information required: " + step_label(step) + " (task flow " + step.id + ") failed after " +
                           std::to_string(step.attempts) + " attempt(s) and holds the order: " + step.error +
                           "; fix the cause, then resume the order", work);
}

void record_milestones(const Plan& plan, UnitOfWork& work) {
  if (plan.service_order_id.empty()) return;
  std::vector<const ServiceItem*> completed;
  for (const auto& s : plan.service_items)
    if (s.state == "completed") completed.push_back(&s);
  if (completed.empty()) return;
  auto stored = work.get(kServiceOrders, plan.service_order_id);
  if (!stored) return;
  const auto order = parse_object(stored->body);
  json::array milestones = array_at(order, "milestone") ? *array_at(order, "milestone") : json::array();
  std::set<std::string> reached;
  for (const auto& m : milestones)
    if (m.is_object()) reached.insert(text_at(m.get_object(), "id"));
  bool added = false;
  for (const auto* s : completed) {
    if (reached.contains(milestone_id_of_item(s->id))) continue;
    milestones.push_back(milestone_of(*s));
    added = true;
  }
  if (!added) return;
  // The items that completed in this unit of work share one write and one event (an order
  // fulfilled at once has all of them here): the order's milestone list says which were reached.
  auto r = work.merge_patch(kServiceOrders, plan.service_order_id, json::object{{"milestone", std::move(milestones)}});
  if (!r.ok()) throw std::runtime_error("ordering: milestone of service order " + plan.service_order_id + " refused: " + r.error->detail());
  work.emit_event(kServiceOrders, plan.service_order_id, "ServiceOrderMilestoneEvent");
}

} // namespace tmfd::ordering
