#include "order_kinds.hpp"

#include <tmfd/error.hpp>

#include "direct_orders.hpp"
#include "json_fields.hpp"
#include "order_lifecycles.hpp"
#include "order_paths.hpp"
#include "order_validation.hpp"
#include "orchestrator.hpp"
#include "views.hpp"

namespace tmfd::ordering {

namespace {

Attribute text(const char* name) { return {name, AttributeType::String}; }
Attribute date(const char* name) { return {name, AttributeType::DateTime}; }
Attribute list(const char* name) { return {name, AttributeType::Array}; }
Attribute object(const char* name) { return {name, AttributeType::Object}; }

EventNames with_create_and_state(const std::string& type) {
  return {.create = type + "CreateEvent", .attribute_value_change = "", .state_change = type + "StateChangeEvent", .remove = ""};
}

ResourceKind order_kind(const std::string& api, const std::string& base, const char* collection, const char* type,
                        const char* items_key, Lifecycle order_lc, Lifecycle item_lc, std::vector<Attribute> extra) {
  std::vector<Attribute> attributes{text("state"), text("description"), text("category"), text("externalId"),
                                    text("priority"), date("orderDate"), date("completionDate"),
                                    date("expectedCompletionDate"), date("requestedCompletionDate"),
                                    date("requestedStartDate"), date("cancellationDate"), text("cancellationReason"),
                                    list("relatedParty"), list("note"), list(items_key)};
  for (auto& a : extra) attributes.push_back(std::move(a));
  item_lc.field = "state";
  return ResourceKind{.api = api,
                      .base_path = base,
                      .collection = collection,
                      .type = type,
                      .mandatory = {},
                      .attributes = std::move(attributes),
                      .immutable = {"orderDate"},
                      .indexed = {"state", "externalId"},
                      .lifecycle = std::move(order_lc),
                      .item_lifecycles = {ItemLifecycle{items_key, std::move(item_lc)}},
                      .events = standard_events(type),
                      .last_update_field = "",
                      .created_field = "",
                      .operations = {},
                      .exposure = Exposure::Rest};
}

ResourceKind cancel_kind(const std::string& api, const std::string& base, const char* collection, const char* type,
                         const char* order_key, const char* first_state) {
  return ResourceKind{.api = api,
                      .base_path = base,
                      .collection = collection,
                      .type = type,
                      .mandatory = {order_key},
                      .attributes = {text("state"), text("cancellationReason"), date("requestedCancellationDate"),
                                     date("effectiveCancellationDate"), object(order_key)},
                      .immutable = {order_key},
                      .indexed = {"state", std::string(order_key) + ".id"},
                      .lifecycle = cancel_task_lifecycle(first_state),
                      .item_lifecycles = {},
                      .events = with_create_and_state(type),
                      .last_update_field = "",
                      .created_field = "",
                      .operations = {.list = true, .get = true, .create = true, .patch = false, .remove = false},
                      .exposure = Exposure::Rest};
}

// The orders the orchestrator made move with the order they fulfil only, and one posted
// directly moves with its fulfilment once that started.
void refuse_client_moves(const json::object& order, const json::object* previous, UnitOfWork& work) {
  if (!previous || orchestrator_is_writing() || text_at(order, "state") == text_at(*previous, "state")) return;
  if (work.get(kPlans, text_at(*previous, "id")))
    throw ApiError(409, "STATE_SET_BY_ORCHESTRATOR", "Illegal state change",
                   "this order is being fulfilled and moves with its fulfilment (cancel it with a cancel task)");
  if (const auto parent = fulfilled_order_of(*previous); !parent.empty())
    throw ApiError(409, "STATE_SET_BY_ORCHESTRATOR", "Illegal state change", "this order fulfils " + parent + " and moves with it");
}

void refuse_unfinished_delete(const json::object& order, UnitOfWork&) {
  if (!is_final_order_state(text_at(order, "state")))
    throw ApiError(409, "ORDER_IN_PROGRESS", "Order in progress",
                   "an order can be deleted once it is final (completed, failed, partial, cancelled or rejected)");
}

ResourceKind internal_kind(const char* collection, const char* type, std::vector<std::string> indexed) {
  return ResourceKind{.api = "ordering",
                      .base_path = kOrderingInternalBase,
                      .collection = collection,
                      .type = type,
                      .mandatory = {},
                      .attributes = {},
                      .immutable = {},
                      .indexed = std::move(indexed),
                      .lifecycle = std::nullopt,
                      .item_lifecycles = {},
                      .events = {},
                      .last_update_field = "",
                      .created_field = "",
                      .operations = {},
                      .exposure = Exposure::AdminReadOnly};
}

} // namespace

void declare_order_kinds(Resources& resources, std::shared_ptr<catalog::CatalogQuery> catalog, bool reject_invalid,
                         AllocatedCharacteristics allocated) {
  // TMF622
  {
    auto kind = order_kind("productOrdering", kProductOrderingBase, "productOrder", "ProductOrder", "productOrderItem",
                           product_order_lifecycle(), product_order_item_lifecycle(),
                           {list("billingAccount"), list("agreement"), list("channel"), list("orderTotalPrice"),
                            list("payment"), list("productOfferingQualification"), list("quote"),
                            text("notificationContact")});
    kind.mandatory = {"productOrderItem"};
    kind.indexed.push_back("relatedParty.id");
    ResourceHooks hooks;
    hooks.validate = [catalog, &resources, reject_invalid](json::object& order, const json::object* previous) {
      if (previous) return;
      const OrderChecks checks{*catalog, [&resources](const std::string& path, const std::string& id) {
                                 return resources.get(path, id);
                               }, reject_invalid};
      check_new_product_order(order, checks);
    };
    hooks.check_in_transaction = [](const json::object& order, const json::object* previous, UnitOfWork& work) {
      if (previous) check_product_order_change(order, *previous, work);
    };
    hooks.before_delete = refuse_unfinished_delete;
    resources.add(std::move(kind), std::move(hooks));

    ResourceHooks cancel_hooks;
    cancel_hooks.check_in_transaction = [](const json::object& task, const json::object* previous, UnitOfWork& work) {
      if (previous) return;
      if (const auto* s = task.if_contains("state"); s && !(s->is_string() && s->get_string() == "acknowledged"))
        throw ApiError::invalid_attribute("state", "is set by the server");
      const std::string order_id = text_at(*object_at(task, "productOrder"), "id");
      auto order = work.get(kProductOrders, order_id);
      if (!order) throw ApiError(422, "UNKNOWN_ORDER", "Unknown order", "productOrder '" + order_id + "' does not exist");
      const auto state = text_at(parse_object(order->body), "state");
      if (is_final_order_state(state))
        throw ApiError(409, "ORDER_FINAL", "Order is final", "productOrder '" + order_id + "' is " + state);
    };
    resources.add(cancel_kind("productOrdering", kProductOrderingBase, "cancelProductOrder", "CancelProductOrder",
                              "productOrder", "acknowledged"),
                  std::move(cancel_hooks));
  }
  // TMF641, TMF652
  {
    auto service_order = order_kind("serviceOrdering", kServiceOrderingBase, "serviceOrder", "ServiceOrder",
                                    "serviceOrderItem", service_order_lifecycle(), service_order_lifecycle(),
                                    {list("externalReference"), list("orderRelationship"), list("jeopardyAlert"),
                                     list("milestone"), list("errorMessage"), date("startDate"), text("notificationContact")});
    const StoredReader read = [&resources](const std::string& path, const std::string& id) { return resources.get(path, id); };
    ResourceHooks so_hooks;
    so_hooks.validate = [catalog, read, allocated](json::object& order, const json::object* previous) {
      if (previous) return;
      check_new_child_order(order, "serviceOrderItem");
      check_direct_service_order(order, *catalog, read, allocated);
    };
    so_hooks.check_in_transaction = refuse_client_moves;
    so_hooks.before_delete = refuse_unfinished_delete;
    resources.add(std::move(service_order), std::move(so_hooks));
    resources.add(cancel_kind("serviceOrdering", kServiceOrderingBase, "cancelServiceOrder", "CancelServiceOrder",
                              "serviceOrder", "accepted"));

    auto resource_order = order_kind("resourceOrdering", kResourceOrderingBase, "resourceOrder", "ResourceOrder",
                                     "orderItem", resource_order_lifecycle(), resource_order_lifecycle(),
                                     {list("externalReference"), text("name"), text("orderType"), date("startDate")});
    ResourceHooks ro_hooks;
    ro_hooks.validate = [catalog, read, allocated](json::object& order, const json::object* previous) {
      if (previous) return;
      check_new_child_order(order, "orderItem");
      check_direct_resource_order(order, *catalog, read, allocated);
    };
    ro_hooks.check_in_transaction = refuse_client_moves;
    ro_hooks.before_delete = refuse_unfinished_delete;
    resources.add(std::move(resource_order), std::move(ro_hooks));
    resources.add(cancel_kind("resourceOrdering", kResourceOrderingBase, "cancelResourceOrder", "CancelResourceOrder",
                              "resourceOrder", "acknowledged"));
  }
  // TMF701
  {
    resources.add(ResourceKind{.api = "processFlow",
                               .base_path = kProcessFlowBase,
                               .collection = "processFlow",
                               .type = "ProcessFlow",
                               .mandatory = {"processFlowSpecification"},
                               .attributes = {text("processFlowSpecification"), date("processFlowDate"), text("state"),
                                              list("channel"), list("characteristic"), list("relatedEntity"),
                                              list("relatedParty"), list("taskFlow")},
                               .immutable = {},
                               .indexed = {"state"},
                               .lifecycle = process_flow_lifecycle(),
                               .item_lifecycles = {},
                               .events = standard_events("ProcessFlow"),
                               .last_update_field = "",
                               .created_field = "",
                               .operations = {.list = true, .get = true, .create = true, .patch = false, .remove = true},
                               .exposure = Exposure::Rest});
    ResourceHooks task_hooks;
    // A task flow lives under its process flow: /processFlow/{processFlowId}/taskFlow/{id}.
    task_hooks.path_of = [](const json::object& flow) {
      std::string process_flow;
      if (const auto* related = array_at(flow, "relatedEntity"))
        for (const auto& r : *related)
          if (text_at(r.get_object(), "role") == "processFlow") process_flow = text_at(r.get_object(), "id");
      return kProcessFlowBase + "/processFlow/" + process_flow + "/taskFlow/" + text_at(flow, "id");
    };
    resources.add(ResourceKind{.api = "processFlow",
                               .base_path = kProcessFlowBase,
                               .collection = "taskFlow",
                               .type = "TaskFlow",
                               .mandatory = {},
                               .attributes = {text("taskFlowSpecification"), text("completionMethod"), text("state"),
                                              {"isMandatory", AttributeType::Boolean}, {"priority", AttributeType::Integer},
                                              list("channel"), list("characteristic"), list("relatedEntity"),
                                              list("relatedParty"), list("taskFlowRelationship")},
                               .immutable = {},
                               .indexed = {"state"},
                               .lifecycle = task_flow_lifecycle(),
                               .item_lifecycles = {},
                               .events = standard_events("TaskFlow"),
                               .last_update_field = "",
                               .created_field = "",
                               // Served by task_flow_routes.cpp under the process flow.
                               .operations = {.list = false, .get = false, .create = false, .patch = false, .remove = false},
                               .exposure = Exposure::Rest},
                  std::move(task_hooks));
  }
  // The orchestrator's own state.
  resources.add(internal_kind("plan", "FulfilmentPlan", {"state"}));
  resources.add(internal_kind("allocation", "Allocation", {"pool", "productOrderId"}));
  resources.add(internal_kind("poolCursor", "PoolCursor", {}));
}

} // namespace tmfd::ordering
