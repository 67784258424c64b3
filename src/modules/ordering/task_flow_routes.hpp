#pragma once
// TMF701 task flows, under their process flow:
//   GET   {base}/processFlow/{id}/taskFlow               the flow's task flows (TMF630 list)
//   GET   {base}/processFlow/{id}/taskFlow/{taskFlowId}  one of them
//   PATCH {base}/processFlow/{id}/taskFlow/{taskFlowId}  {"state": "completed"} finishes a waiting
//         (manual) step, optionally with "characteristic": [{name, value}] that become the
//         step's output; the order then goes on in the same transaction.
#include <memory>

#include <tmfd/http.hpp>
#include <tmfd/resources.hpp>

namespace tmfd::ordering {

class Orchestrator;

void add_task_flow_routes(http::RouteRegistry& routes, Resources& resources, std::shared_ptr<Orchestrator> orchestrator);

} // namespace tmfd::ordering
