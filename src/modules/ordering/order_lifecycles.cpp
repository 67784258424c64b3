// Transitions read off the diagrams. Where a diagram draws a decision at the start ("check order
// business consistency -> Rejected"), `rejected` is a state an order is created in, not one it
// moves to.
#include "order_lifecycles.hpp"

namespace tmfd::ordering {

namespace {

using Moves = std::vector<std::pair<std::string, std::string>>;

// The arrows TMF622 draws for the order and its items alike; the order adds `partial`.
Moves product_order_moves() {
  return {{"acknowledged", "pending"},
          {"acknowledged", "inProgress"},
          {"pending", "inProgress"},
          {"pending", "assessingCancellation"},
          {"pending", "cancelled"},
          {"inProgress", "pending"},
          {"inProgress", "assessingCancellation"},
          {"inProgress", "held"},
          {"inProgress", "completed"},
          {"inProgress", "failed"},
          {"assessingCancellation", "pending"},
          {"assessingCancellation", "inProgress"},
          {"assessingCancellation", "held"},
          {"assessingCancellation", "pendingCancellation"},
          {"held", "inProgress"},
          {"held", "assessingCancellation"},
          {"held", "cancelled"},
          {"pendingCancellation", "cancelled"}};
}

} // namespace

Lifecycle product_order_lifecycle() {
  auto moves = product_order_moves();
  moves.emplace_back("inProgress", "partial");
  return Lifecycle{.field = "state",
                   .initial = "acknowledged",
                   .states = {"acknowledged", "rejected", "pending", "held", "inProgress", "cancelled", "completed",
                              "failed", "partial", "assessingCancellation", "pendingCancellation"},
                   .transitions = std::move(moves),
                   .aliases = {}};
}

Lifecycle product_order_item_lifecycle() {
  return Lifecycle{.field = "state",
                   .initial = "acknowledged",
                   .states = {"acknowledged", "rejected", "pending", "held", "inProgress", "cancelled", "completed",
                              "failed", "assessingCancellation", "pendingCancellation"},
                   .transitions = product_order_moves(),
                   .aliases = {}};
}

Lifecycle service_order_lifecycle() {
  // TMF641 adds direct cancellation and a denied cancellation that returns to acknowledged.
  return Lifecycle{.field = "state",
                   .initial = "acknowledged",
                   .states = {"acknowledged", "rejected", "pending", "held", "inProgress", "cancelled", "completed",
                              "failed", "partial", "assessingCancellation", "pendingCancellation"},
                   .transitions = {{"acknowledged", "inProgress"},
                                   {"acknowledged", "cancelled"},
                                   {"acknowledged", "assessingCancellation"},
                                   {"acknowledged", "rejected"},
                                   {"inProgress", "completed"},
                                   {"inProgress", "failed"},
                                   {"inProgress", "partial"},
                                   {"inProgress", "pending"},
                                   {"inProgress", "held"},
                                   {"inProgress", "cancelled"},
                                   {"inProgress", "assessingCancellation"},
                                   {"pending", "inProgress"},
                                   {"pending", "assessingCancellation"},
                                   {"pending", "cancelled"},
                                   {"held", "inProgress"},
                                   {"held", "assessingCancellation"},
                                   {"held", "cancelled"},
                                   {"assessingCancellation", "acknowledged"},
                                   {"assessingCancellation", "inProgress"},
                                   {"assessingCancellation", "pending"},
                                   {"assessingCancellation", "held"},
                                   {"assessingCancellation", "pendingCancellation"},
                                   {"pendingCancellation", "cancelled"}},
                   .aliases = {}};
}

Lifecycle resource_order_lifecycle() {
  // TMF652 draws no cancellation states: an order is cancelled from pending or held.
  return Lifecycle{.field = "state",
                   .initial = "acknowledged",
                   .states = {"acknowledged", "rejected", "pending", "held", "inProgress", "cancelled", "completed",
                              "failed", "partial"},
                   .transitions = {{"acknowledged", "inProgress"},
                                   {"inProgress", "completed"},
                                   {"inProgress", "failed"},
                                   {"inProgress", "partial"},
                                   {"inProgress", "pending"},
                                   {"inProgress", "held"},
                                   {"pending", "inProgress"},
                                   {"pending", "cancelled"},
                                   {"held", "inProgress"},
                                   {"held", "cancelled"}},
                   .aliases = {}};
}

Lifecycle cancel_task_lifecycle(const char* first_state) {
  const std::string first(first_state);
  return Lifecycle{.field = "state",
                   .initial = first,
                   .states = {first, "inProgress", "done", "terminatedWithError"},
                   .transitions = {{first, "inProgress"}, {"inProgress", "done"}, {"inProgress", "terminatedWithError"}},
                   .aliases = {}};
}

Lifecycle process_flow_lifecycle() {
  return Lifecycle{.field = "state",
                   .initial = "active",
                   .states = {"active", "hold", "completed", "cancelled"},
                   .transitions = {{"active", "hold"},
                                   {"hold", "active"},
                                   {"active", "completed"},
                                   {"active", "cancelled"},
                                   {"hold", "cancelled"}},
                   .aliases = {}};
}

Lifecycle task_flow_lifecycle() {
  return Lifecycle{.field = "state",
                   .initial = "new",
                   .states = {"new", "active", "hold", "cancelled", "completed"},
                   .transitions = {{"new", "active"},
                                   {"new", "cancelled"},
                                   {"active", "hold"},
                                   {"active", "completed"},
                                   {"active", "cancelled"},
                                   {"hold", "active"},
                                   {"hold", "cancelled"}},
                   .aliases = {}};
}

bool is_final_order_state(std::string_view state) {
  return state == "completed" || state == "failed" || state == "partial" || state == "cancelled" ||
         state == "rejected";
}

} // namespace tmfd::ordering
