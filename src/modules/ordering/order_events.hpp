#pragma once
// Events the ordering specs define beyond create, change and delete, and when tmfd writes them
// (docs/modules/ordering.md, "Events"):
//   - ...InformationRequiredEvent (TMF622, TMF641, TMF652): an order needs a person. Written when
//     one of its steps is a `manual` step that starts waiting, or a step whose plan says
//     `on_failure: hold` failed and held the order (someone must fix the cause and resume it): on
//     the order the client placed and on the service or resource order the step fulfils, each
//     with a note saying what is needed;
//   - ServiceOrderMilestoneEvent (TMF641): a service order item completed. Each such item adds
//     one `milestone` to its service order; the items that complete in one unit of work share
//     one event.
// Both are written through UnitOfWork::emit_event, in the unit that made the change, so they
// reach hubs and TMF688 like every other event of the order.
#include <tmfd/unit_of_work.hpp>

#include "plan.hpp"

namespace tmfd::ordering {

// `step` (a manual step) has just started waiting for a person.
void announce_waiting_step(const Plan& plan, const Step& step, UnitOfWork& work);
// `step` failed after its attempts and held the order (on_failure: hold).
void announce_holding_step(const Plan& plan, const Step& step, UnitOfWork& work);

// Adds a milestone to the plan's service order for each of its items that completed and has none
// yet, and writes one ServiceOrderMilestoneEvent when it added any. Call after the service order shows the items'
// states.
void record_milestones(const Plan& plan, UnitOfWork& work);

// The milestone id of a completed service order item, and the milestone.
std::string milestone_id_of_item(const std::string& item_id);
json::object milestone_of(const ServiceItem& item);

} // namespace tmfd::ordering
