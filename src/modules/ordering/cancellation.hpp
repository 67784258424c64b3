#pragma once
// Cancellation through the TMF task resources (cancelProductOrder, cancelServiceOrder,
// cancelResourceOrder), run by durable reactions to their create events.
#include <string>

#include <tmfd/unit_of_work.hpp>

namespace tmfd::ordering {

class Orchestrator;

// cancelProductOrder: the task goes inProgress; the order is assessed (final, or past its point
// of no return: the task ends terminatedWithError with why, and the order goes back to where it
// was); else the order goes assessingCancellation -> pendingCancellation, completed steps are
// undone (allocations released), inventory it created is terminated, its service and resource
// orders and process flow are cancelled, the order ends cancelled and the task done.
void cancel_product_order(Orchestrator& orchestrator, const std::string& cancel_id, UnitOfWork& work);

// cancelServiceOrder / cancelResourceOrder: an order the orchestrator made for a product order is
// cancelled through that product order (the task ends terminatedWithError saying so); an order
// posted directly is cancelled when its lifecycle allows it.
void cancel_child_order(const std::string& cancel_path, const std::string& order_path, const std::string& order_key,
                        const std::string& cancel_id, UnitOfWork& work);

} // namespace tmfd::ordering
