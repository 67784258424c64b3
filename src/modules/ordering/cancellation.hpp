#pragma once
// Cancellation through the TMF task resources (cancelProductOrder, cancelServiceOrder,
// cancelResourceOrder), run by durable reactions to their create events.
#include <string>

#include <tmfd/unit_of_work.hpp>

namespace tmfd::ordering {

class Orchestrator;
struct Plan;

// Undoes a plan being cancelled: completed steps undone, the inventory it created terminated,
// unfinished steps, items and timers cancelled, every view moved to cancelled, the plan saved.
void cancel_plan(Orchestrator& orchestrator, Plan& plan, UnitOfWork& work);

// cancelProductOrder: the task goes inProgress; the order is assessed (final, or past its point
// of no return: the task ends terminatedWithError with why, and the order goes back to where it
// was); else the order goes assessingCancellation -> pendingCancellation, completed steps are
// undone (allocations released), inventory it created is terminated, its service and resource
// orders and process flow are cancelled, the order ends cancelled and the task done.
void cancel_product_order(Orchestrator& orchestrator, const std::string& cancel_id, UnitOfWork& work);

// cancelServiceOrder / cancelResourceOrder: an order the orchestrator made for another order is
// cancelled through that order (the task ends terminatedWithError saying so); an order posted
// directly and being fulfilled is undone like a product order (unless past its point of no
// return); one whose fulfilment ended or never started is cancelled when its lifecycle allows it.
void cancel_child_order(Orchestrator& orchestrator, const std::string& cancel_path, const std::string& order_path,
                        const std::string& order_key, const std::string& cancel_id, UnitOfWork& work);

} // namespace tmfd::ordering
