#pragma once
// A hub's `query`: TMF630 attribute filters applied to each event before delivery, on its header
// attributes (eventType, domain, priority...) and on its content through `event.` paths, e.g.
// "eventType=ProductOrderStateChangeEvent&event.productOrder.state=completed".
#include <string>
#include <string_view>
#include <vector>

#include <tmfd/event.hpp>

#include "query/list_query.hpp"

namespace tmfd::delivery {

class EventFilter {
public:
  EventFilter() = default;
  // Throws ApiError 400 for bad syntax, or for paging, fields and sort parameters (meaningless
  // on a stream of events). Several queries are AND-ed (a topic's filter and its hub's query).
  static EventFilter parse(const std::vector<std::string_view>& queries);

  bool matches(const Event& event) const;
  bool empty() const { return filters_.empty(); }
  // The event types this filter can match, when it names them (`eventType=A,B`); empty when any
  // type may match. Lets a reader skip the other events before reading them.
  std::vector<std::string> event_types() const;

private:
  std::vector<query::Filter> filters_;
  bool needs_body_ = false;  // some filter is on more than eventType/domain
};

} // namespace tmfd::delivery
