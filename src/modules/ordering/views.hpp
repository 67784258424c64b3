#pragma once
// The TMF views of a plan: the product order and its items (TMF622), the service and resource
// orders (TMF641, TMF652), the process flow and its task flows (TMF701). The plan says where
// each should be; sync_views moves each stored resource there along its published lifecycle
// (through the states in between when the plan skipped some within one unit of work), so that
// every event a subscriber receives is a legal move.
#include <string>

#include <tmfd/resource_kind.hpp>
#include <tmfd/unit_of_work.hpp>

#include "plan.hpp"

namespace tmfd::ordering {

// Creates the service order, resource order and process flow of a plan just decomposed, in the
// states the plan reached in this unit (an order fulfilled at once has them created completed).
void create_views(const Plan& plan, const json::object& order, UnitOfWork& work);
// Brings every view to the plan's states; creates task flows not yet stored. Announces the manual
// steps that started waiting and the failures that held the order (order_events.hpp).
void sync_views(const Plan& plan, UnitOfWork& work);
// The product order a service or resource order fulfils (its externalReference), or "".
std::string parent_product_order(const json::object& child);
// The order a service or resource order made by the orchestrator fulfils, as "product order <id>"
// or "service order <id>" (a service order posted directly); "" for an order a client posted.
std::string fulfilled_order_of(const json::object& child);

// Adds a note to the product order (why it failed or was held).
void note_on_order(UnitOfWork& work, const std::string& order_id, const std::string& text);
// Adds a note to the plan's root order (the product order, or the service or resource order
// posted directly).
void note_on_order(UnitOfWork& work, const Plan& plan, const std::string& text);
// Adds a note to the order at `path`/`id` (TMF622, TMF641 and TMF652 orders all have `note`).
void note_on(UnitOfWork& work, const std::string& path, const std::string& id, const std::string& text);

// The TMF state a plan's state shows as, for each view.
std::string order_state_of(const Plan& plan);
std::string task_flow_state_of(const Plan& plan, const Step& step);
std::string flow_state_of(const Plan& plan);

// The states from `from` to `to` along `lc`'s transitions, shortest first: the intermediate ones
// and `to` (empty when equal). Throws std::logic_error when `to` cannot be reached.
std::vector<std::string> state_path(const Lifecycle& lc, const std::string& from, const std::string& to);

} // namespace tmfd::ordering
