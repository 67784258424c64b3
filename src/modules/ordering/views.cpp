#include "views.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <stdexcept>

#include <tmfd/error.hpp>
#include <tmfd/query.hpp>

#include "json_fields.hpp"
#include "order_events.hpp"
#include "order_lifecycles.hpp"
#include "order_paths.hpp"

namespace tmfd::ordering {

namespace {

json::object load(UnitOfWork& work, const std::string& path, const std::string& id) {
  auto stored = work.get(path, id);
  if (!stored) throw std::logic_error("ordering: " + path + "/" + id + " is missing");
  return parse_object(stored->body);
}

void require_ok(const ChangeResult& r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error("ordering: " + what + " refused: " + r.error->detail());
}

std::string item_state_of(const Plan& plan, const std::string& state) {
  if (plan.state == "held" && (state == "inProgress")) return "held";
  return state;
}

// The view state of a child order (service or resource order) from its items.
template <class Items> std::string child_order_state(const Plan& plan, const Items& items) {
  bool all_final = true, any_completed = false, any_failed = false, any_cancelled = false;
  for (const auto& i : items) {
    if (i.state == "completed") any_completed = true;
    else if (i.state == "failed") any_failed = true;
    else if (i.state == "cancelled") any_cancelled = true;
    else all_final = false;
  }
  if (plan.state == "cancelled") return "cancelled";
  if (!all_final) return plan.state == "held" ? "held" : "inProgress";
  if (any_cancelled && !any_completed && !any_failed) return "cancelled";
  if (any_failed) return any_completed ? "partial" : "failed";
  return "completed";
}

// Moves an order and its items to their target states in rounds: each round moves every one of
// them one arrow along its lifecycle, and the last round also writes `extra` (the fields the order
// does not have yet) and `item_extra` (fields of items, written when they differ).
void move_order(UnitOfWork& work, const std::string& path, const std::string& id, const std::string& items_key,
                const Lifecycle& order_lc, const Lifecycle& item_lc, const std::string& target,
                const std::map<std::string, std::string>& item_targets, json::object extra,
                const std::map<std::string, json::object>& item_extra = {}) {
  auto order = load(work, path, id);
  const std::string from = text_at(order, "state");
  // A final order or item stays as it is (a cancelled order keeps the items it completed).
  std::vector<std::string> order_path = is_final_order_state(from) ? std::vector<std::string>{} : state_path(order_lc, from, target);
  std::map<std::string, std::vector<std::string>> item_paths;
  std::size_t rounds = order_path.size();
  if (const auto* items = array_at(order, items_key))
    for (const auto& v : *items) {
      const auto& item = v.get_object();
      auto it = item_targets.find(text_at(item, "id"));
      if (it == item_targets.end()) continue;
      const std::string item_from = text_at(item, "state");
      auto p = is_final_order_state(item_from) ? std::vector<std::string>{} : state_path(item_lc, item_from, it->second);
      rounds = std::max(rounds, p.size());
      item_paths[text_at(item, "id")] = std::move(p);
    }
  // `extra` fields are set once: an order that has them keeps its values (a completionDate).
  for (auto it = extra.begin(); it != extra.end();) it = order.contains(it->key()) ? extra.erase(it) : std::next(it);
  bool extra_changes = !extra.empty();
  if (const auto* items = array_at(order, items_key))
    for (const auto& v : *items)
      if (auto e = item_extra.find(text_at(v.get_object(), "id")); e != item_extra.end())
        for (const auto& [key, value] : e->second)
          if (const auto* now = v.get_object().if_contains(key); !now || *now != value) extra_changes = true;
  if (rounds == 0 && extra_changes) rounds = 1;
  for (std::size_t round = 0; round < rounds; ++round) {
    json::object patch;
    if (round < order_path.size()) patch["state"] = order_path[round];
    if (!item_paths.empty() || (round + 1 == rounds && extra_changes)) {
      json::array items = array_at(order, items_key) ? *array_at(order, items_key) : json::array();
      for (auto& v : items) {
        auto& item = v.get_object();
        const std::string item_id = text_at(item, "id");
        if (auto p = item_paths.find(item_id); p != item_paths.end() && !p->second.empty())
          item["state"] = p->second[std::min(round, p->second.size() - 1)];
        if (round + 1 == rounds)
          if (auto e = item_extra.find(item_id); e != item_extra.end())
            for (const auto& [k, value] : e->second) item[k] = value;
      }
      patch[items_key] = items;
      order[items_key] = std::move(items);
    }
    if (round + 1 == rounds)
      for (const auto& [k, value] : extra) patch[k] = value;
    require_ok(work.merge_patch(path, id, std::move(patch)), path + "/" + id);
  }
}

// {"completionDate": now} for a final state, to be written with the move into it.
json::object completion_date_when_final(const std::string& state, const std::string& now) {
  return is_final_order_state(state) ? json::object{{"completionDate", now}} : json::object();
}

// serviceOrderItemRelationship entries (dependsOn) for the items `s` waits for.
json::array dependencies_of(const Plan& plan, const ServiceItem& s) {
  json::array relationships;
  for (const auto& before : s.after)
    relationships.push_back(json::object{{"relationshipType", "dependsOn"},
                                         {"orderItem", json::object{{"id", before}, {"itemId", before}, {"serviceOrderId", plan.service_order_id}}}});
  return relationships;
}

json::object task_flow_body(const Step& step, const std::string& state) {
  json::array characteristic{json::object{{"name", "executor"}, {"value", step.executor}},
                             json::object{{"name", "attempts"}, {"value", step.attempts}},
                             json::object{{"name", "maxAttempts"}, {"value", step.max_attempts}}};
  if (!step.error.empty()) characteristic.push_back(json::object{{"name", "lastError"}, {"value", step.error}});
  if (!step.output.empty()) characteristic.push_back(json::object{{"name", "output"}, {"value", step.output}});
  json::object body{{"state", state}, {"characteristic", std::move(characteristic)}};
  return body;
}

// A service order item as the orchestrator shows it.
json::object service_item_view(const Plan& plan, const ServiceItem& s) {
  json::object service{{"serviceSpecification", s.specification}, {"@type", "Service"}};
  if (!s.service_id.empty()) {
    service["id"] = s.service_id;
    service["href"] = kServices + "/" + s.service_id;
  }
  json::object item{{"id", s.id}, {"action", s.action}, {"state", item_state_of(plan, s.state)}, {"service", std::move(service)}};
  if (auto relationships = dependencies_of(plan, s); !relationships.empty())
    item["serviceOrderItemRelationship"] = std::move(relationships);
  return item;
}

// A service order posted directly shows what it decomposed into: the items the services it names
// depend on are added to it ("<id>.1", ...), and its items list those they depend on.
void add_derived_service_items(const Plan& plan, UnitOfWork& work) {
  auto order = load(work, kServiceOrders, plan.id);
  json::array items = array_at(order, "serviceOrderItem") ? *array_at(order, "serviceOrderItem") : json::array();
  std::set<std::string> present;
  bool changed = false;
  for (auto& v : items) {
    auto& item = v.get_object();
    present.insert(text_at(item, "id"));
    const ServiceItem* s = nullptr;
    for (const auto& si : plan.service_items)
      if (si.id == text_at(item, "id")) s = &si;
    if (!s) continue;
    json::array relationships = array_at(item, "serviceOrderItemRelationship") ? *array_at(item, "serviceOrderItemRelationship") : json::array();
    std::set<std::string> named;
    for (const auto& r : relationships)
      if (const auto* other = r.is_object() ? object_at(r.get_object(), "orderItem") : nullptr) {
        named.insert(text_at(*other, "id"));
        named.insert(text_at(*other, "itemId"));
      }
    for (auto& dependency : dependencies_of(plan, *s))
      if (!named.contains(text_at(dependency.get_object().at("orderItem").get_object(), "id"))) {
        relationships.push_back(std::move(dependency));
        changed = true;
      }
    if (!relationships.empty()) item["serviceOrderItemRelationship"] = std::move(relationships);
  }
  for (const auto& s : plan.service_items)
    if (!present.contains(s.id)) {
      json::object item = service_item_view(plan, s);
      item["state"] = "acknowledged";  // sync_views moves it with the others
      items.push_back(std::move(item));
      changed = true;
    }
  if (changed) require_ok(work.merge_patch(kServiceOrders, plan.id, json::object{{"serviceOrderItem", std::move(items)}}), "service order items");
}

} // namespace

std::vector<std::string> state_path(const Lifecycle& lc, const std::string& from, const std::string& to) {
  if (from == to) return {};
  std::map<std::string, std::string> came_from;
  std::deque<std::string> queue{from};
  came_from[from] = "";
  while (!queue.empty()) {
    auto at = queue.front();
    queue.pop_front();
    for (const auto& [f, t] : lc.transitions) {
      if (f != at || came_from.contains(t)) continue;
      came_from[t] = at;
      if (t == to) {
        std::vector<std::string> path{to};
        for (auto s = at; s != from; s = came_from[s]) path.insert(path.begin(), s);
        return path;
      }
      queue.push_back(t);
    }
  }
  throw std::logic_error("ordering: no move from '" + from + "' to '" + to + "'");
}

std::string order_state_of(const Plan& plan) {
  if (plan.state == "running") return "inProgress";
  return plan.state;  // held, completed, failed, partial, cancelled
}

std::string flow_state_of(const Plan& plan) {
  if (plan.state == "running") return "active";
  if (plan.state == "held") return "hold";
  if (plan.state == "failed" || plan.state == "cancelled") return "cancelled";
  return "completed";  // completed, partial
}

std::string task_flow_state_of(const Plan& plan, const Step& step) {
  if (step.state == "failed") return plan.state == "held" ? "hold" : "cancelled";
  return step.state;  // new, active, completed, cancelled
}

void create_views(const Plan& plan, const json::object& order, UnitOfWork& work) {
  const std::string order_id = plan.id;
  const json::object order_ref = reference(order_id, text_at(order, "href"), "", "ProductOrder");
  // TMF641 requires @type on a RelatedParty; the copies in the child orders carry it.
  json::array parties;
  if (plan.customer.is_object()) {
    json::object customer = plan.customer.get_object();
    if (!customer.contains("@type")) customer["@type"] = "RelatedParty";
    parties.push_back(std::move(customer));
  }
  const std::string now = now_timestamp();

  if (plan.root == "serviceOrder") add_derived_service_items(plan, work);
  if (plan.root == "productOrder" && !plan.service_order_id.empty()) {
    json::array items;
    for (const auto& s : plan.service_items) items.push_back(service_item_view(plan, s));
    json::object so{{"id", plan.service_order_id},
                     {"description", "Service order of product order " + order_id},
                     {"orderDate", now},
                     {"orderRelationship", json::array{json::object{{"id", order_id},
                                                                    {"href", text_at(order, "href")},
                                                                    {"relationshipType", "parent"},
                                                                    {"@referredType", "ProductOrder"}}}},
                     {"externalReference", json::array{json::object{{"externalReferenceType", "ProductOrder"},
                                                                    {"name", order_id},
                                                                    {"href", text_at(order, "href")}}}},
                     {"serviceOrderItem", std::move(items)},
                     {"state", child_order_state(plan, plan.service_items)}};
    if (!parties.empty()) so["relatedParty"] = parties;
    if (is_final_order_state(text_at(so, "state"))) so["completionDate"] = now;
    // Items completed already are created with their milestones (one write instead of two for an
    // order fulfilled at once); record_milestones then finds them there.
    json::array milestones;
    for (const auto& s : plan.service_items)
      if (s.state == "completed") milestones.push_back(milestone_of(s));
    const bool reached = !milestones.empty();
    if (reached) so["milestone"] = std::move(milestones);
    require_ok(work.create(kServiceOrders, std::move(so)), "service order");
    if (reached) work.emit_event(kServiceOrders, plan.service_order_id, "ServiceOrderMilestoneEvent");
  }

  if (plan.root != "resourceOrder" && !plan.resource_order_id.empty()) {
    json::array items;
    for (const auto& r : plan.resource_items) {
      json::object item{{"id", r.id}, {"action", r.action}, {"state", item_state_of(plan, r.state)},
                        {"resourceSpecification", r.specification}};
      if (!r.resource_id.empty()) item["resource"] = reference(r.resource_id, kResources + "/" + r.resource_id, "", "Resource");
      items.push_back(std::move(item));
    }
    // TMF652's externalReference is an ExternalId {id, entityType, owner}.
    json::array external{json::object{{"id", plan.service_order_id}, {"entityType", "ServiceOrder"}, {"owner", "tmfd"}}};
    if (plan.root == "productOrder")
      external.push_back(json::object{{"id", order_id}, {"entityType", "ProductOrder"}, {"owner", "tmfd"}});
    json::object ro{{"id", plan.resource_order_id},
                    {"name", std::string(plan.root == "productOrder" ? "Resources of product order " : "Resources of service order ") + order_id},
                    {"orderDate", now},
                    {"externalReference", std::move(external)},
                    {"orderItem", std::move(items)},
                    {"state", child_order_state(plan, plan.resource_items)}};
    if (!parties.empty()) ro["relatedParty"] = parties;
    if (is_final_order_state(text_at(ro, "state"))) ro["completionDate"] = now;
    require_ok(work.create(kResourceOrders, std::move(ro)), "resource order");
  }

  // The order the client placed comes first.
  json::array related;
  if (plan.root == "productOrder")
    related.push_back(json::object{{"id", order_id}, {"role", "productOrder"}, {"@referredType", "ProductOrder"}});
  if (!plan.service_order_id.empty())
    related.push_back(json::object{{"id", plan.service_order_id}, {"role", "serviceOrder"}, {"@referredType", "ServiceOrder"}});
  if (!plan.resource_order_id.empty())
    related.push_back(json::object{{"id", plan.resource_order_id}, {"role", "resourceOrder"}, {"@referredType", "ResourceOrder"}});
  json::array task_flows;
  for (const auto& s : plan.steps)
    task_flows.push_back(json::object{{"id", s.id}, {"href", kProcessFlows + "/" + plan.process_flow_id + "/taskFlow/" + s.id}});
  json::object flow{{"id", plan.process_flow_id},
                    {"processFlowSpecification", plan.root + "Fulfilment"},  // productOrderFulfilment, ...
                    {"processFlowDate", now},
                    {"relatedEntity", std::move(related)},
                    {"taskFlow", std::move(task_flows)},
                    {"state", flow_state_of(plan)}};
  if (!parties.empty()) flow["relatedParty"] = parties;
  require_ok(work.create(kProcessFlows, std::move(flow)), "process flow");
}

void sync_views(const Plan& plan, UnitOfWork& work) {
  static const Lifecycle po = product_order_lifecycle(), po_item = product_order_item_lifecycle(),
                         so = service_order_lifecycle(), ro = resource_order_lifecycle(), pf = process_flow_lifecycle(),
                         tf = task_flow_lifecycle();
  const bool final = plan.state != "running" && plan.state != "held";
  const std::string now = now_timestamp();

  // Task flows first: the orders' events then follow the steps that moved them.
  std::vector<const Step*> waiting;  // manual steps that started waiting: announced on the orders last
  for (const auto& step : plan.steps) {
    const std::string target = task_flow_state_of(plan, step);
    auto stored = work.get(kTaskFlows, step.id);
    if (!stored) {
      json::object body = task_flow_body(step, target);
      body["id"] = step.id;
      body["taskFlowSpecification"] = step.name;
      body["completionMethod"] = step.executor == "manual" ? "manual" : "automatic";
      body["isMandatory"] = true;
      json::array related{json::object{{"id", plan.process_flow_id}, {"role", "processFlow"}, {"@referredType", "ProcessFlow"}}};
      const bool resource_step = step.owner.starts_with("resource:");
      const std::string item = step.owner.substr(step.owner.find(':') + 1);
      // The order the client placed first (Orchestrator::order_of_step), then the item's order.
      if (plan.root == "productOrder")
        related.push_back(json::object{{"id", plan.id}, {"role", "productOrder"}, {"@referredType", "ProductOrder"}});
      else if (plan.root == "serviceOrder" && resource_step)
        related.push_back(json::object{{"id", plan.id}, {"role", "serviceOrder"}, {"@referredType", "ServiceOrder"}});
      related.push_back(json::object{{"id", resource_step ? plan.resource_order_id : plan.service_order_id},
                                     {"name", "item " + item},
                                     {"role", resource_step ? "resourceOrder" : "serviceOrder"},
                                     {"@referredType", resource_step ? "ResourceOrder" : "ServiceOrder"}});
      body["relatedEntity"] = std::move(related);
      json::array requires_;
      for (const auto& before : step.after)
        requires_.push_back(json::object{{"relationshipType", "requires"}, {"taskFlow", json::object{{"id", before}}}});
      if (!requires_.empty()) body["taskFlowRelationship"] = std::move(requires_);
      require_ok(work.create(kTaskFlows, std::move(body)), "task flow " + step.id);
      if (step.executor == "manual" && target == "active") {
        work.emit_event(kTaskFlows, step.id, "TaskFlowInformationRequiredEvent");
        waiting.push_back(&step);
      }
      continue;
    }
    const auto current = parse_object(stored->body);
    const std::string from = text_at(current, "state");
    auto wanted = task_flow_body(step, target);
    if (from == target && current.if_contains("characteristic") && current.at("characteristic") == wanted.at("characteristic"))
      continue;
    auto path = state_path(tf, from, target);
    for (std::size_t i = 0; i + 1 < path.size(); ++i)
      require_ok(work.merge_patch(kTaskFlows, step.id, json::object{{"state", path[i]}}), "task flow " + step.id);
    require_ok(work.merge_patch(kTaskFlows, step.id, std::move(wanted)), "task flow " + step.id);
    if (step.executor == "manual" && target == "active" && from != "active") {
      work.emit_event(kTaskFlows, step.id, "TaskFlowInformationRequiredEvent");
      waiting.push_back(&step);
    }
  }

  if (!plan.resource_order_id.empty()) {
    std::map<std::string, std::string> targets;
    std::map<std::string, json::object> extra;
    for (const auto& r : plan.resource_items) {
      targets[r.id] = item_state_of(plan, r.state);
      if (!r.resource_id.empty())
        extra[r.id] = json::object{{"resource", reference(r.resource_id, kResources + "/" + r.resource_id, "", "Resource")}};
    }
    const std::string state = child_order_state(plan, plan.resource_items);
    move_order(work, kResourceOrders, plan.resource_order_id, "orderItem", ro, ro, state, targets,
               completion_date_when_final(state, now), extra);
  }

  if (!plan.service_order_id.empty()) {
    std::map<std::string, std::string> targets;
    std::map<std::string, json::object> extra;
    for (const auto& s : plan.service_items) {
      targets[s.id] = item_state_of(plan, s.state);
      if (!s.service_id.empty())
        extra[s.id] = json::object{{"service", json::object{{"id", s.service_id},
                                                            {"href", kServices + "/" + s.service_id},
                                                            {"serviceSpecification", s.specification},
                                                            {"@type", "Service"}}}};
    }
    const std::string state = child_order_state(plan, plan.service_items);
    move_order(work, kServiceOrders, plan.service_order_id, "serviceOrderItem", so, so, state, targets,
               completion_date_when_final(state, now), extra);
    record_milestones(plan, work);
  }

  if (plan.root == "productOrder") {
    std::map<std::string, std::string> targets;
    for (const auto& p : plan.product_items)
      if (p.parent.empty()) targets[p.id] = item_state_of(plan, p.state);
    json::object extra;
    if (final) extra["completionDate"] = now;
    move_order(work, kProductOrders, plan.id, "productOrderItem", po, po_item, order_state_of(plan), targets, std::move(extra));
  }

  const std::string flow_target = flow_state_of(plan);
  const auto flow = load(work, kProcessFlows, plan.process_flow_id);
  for (const auto& state : state_path(pf, text_at(flow, "state"), flow_target))
    require_ok(work.merge_patch(kProcessFlows, plan.process_flow_id, json::object{{"state", state}}), "process flow");
  // Once the orders show their states (an order just started is inProgress, not acknowledged).
  for (const auto* step : waiting) announce_waiting_step(plan, *step, work);
  for (const auto& id : plan.held_by_steps)
    for (const auto& step : plan.steps)
      if (step.id == id) announce_holding_step(plan, step, work);
}

std::string parent_product_order(const json::object& child) {
  if (const auto* refs = array_at(child, "externalReference"))
    for (const auto& r : *refs) {
      if (!r.is_object()) continue;
      const auto& ref = r.get_object();
      if (text_at(ref, "externalReferenceType") == "ProductOrder") return text_at(ref, "name");  // TMF641
      if (text_at(ref, "entityType") == "ProductOrder" && text_at(ref, "owner") == "tmfd") return text_at(ref, "id");  // TMF652
    }
  return {};
}

std::string fulfilled_order_of(const json::object& child) {
  if (const auto product = parent_product_order(child); !product.empty()) return "product order " + product;
  // The resource order of a service order posted directly names only that service order.
  if (const auto* refs = array_at(child, "externalReference"))
    for (const auto& r : *refs)
      if (r.is_object() && text_at(r.get_object(), "entityType") == "ServiceOrder" && text_at(r.get_object(), "owner") == "tmfd")
        return "service order " + text_at(r.get_object(), "id");
  return {};
}

void note_on(UnitOfWork& work, const std::string& path, const std::string& id, const std::string& text) {
  auto order = load(work, path, id);
  json::array notes = array_at(order, "note") ? *array_at(order, "note") : json::array();
  notes.push_back(json::object{{"author", "tmfd ordering"}, {"date", now_timestamp()}, {"text", text}});
  require_ok(work.merge_patch(path, id, json::object{{"note", std::move(notes)}}), "order note");
}

void note_on_order(UnitOfWork& work, const std::string& order_id, const std::string& text) {
  note_on(work, kProductOrders, order_id, text);
}

void note_on_order(UnitOfWork& work, const Plan& plan, const std::string& text) {
  note_on(work, root_order_path(plan), plan.id, text);
}

} // namespace tmfd::ordering
