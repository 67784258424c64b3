#pragma once
// The state machines of the published lifecycle diagrams (../shared/tmf-specs/*.png), as the
// resource engine checks them: a PATCH, a unit of work's change or an orchestrator step that
// moves a state along no arrow of its diagram is refused with 409.
#include <tmfd/resource_kind.hpp>

namespace tmfd::ordering {

Lifecycle product_order_lifecycle();       // TMF622 ProductOrder
Lifecycle product_order_item_lifecycle();  // TMF622 ProductOrderItem
Lifecycle service_order_lifecycle();       // TMF641 ServiceOrder and its items
Lifecycle resource_order_lifecycle();      // TMF652 ResourceOrder and its items
Lifecycle cancel_task_lifecycle(const char* first_state);  // cancel*Order task resources
Lifecycle process_flow_lifecycle();        // TMF701 ProcessFlow
Lifecycle task_flow_lifecycle();           // TMF701 TaskFlow

// Final states: nothing moves an order out of them.
bool is_final_order_state(std::string_view state);

} // namespace tmfd::ordering
