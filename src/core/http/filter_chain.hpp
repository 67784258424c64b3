#pragma once
// The ordered filters the front runs before a matched route's handler (see tmfd/http_filter.hpp).
// Filters are added while modules start; the front seals the chain when it is built, so that the
// I/O threads read it without a lock.
#include <optional>
#include <vector>

#include <tmfd/http_filter.hpp>

namespace tmfd::http {

class FilterChain {
public:
  // Keeps the chain ordered by spec.order, stable for equal orders. Throws std::invalid_argument
  // without a name or function, std::logic_error once sealed.
  void add(FilterSpec spec);
  void seal() noexcept { sealed_ = true; }
  bool empty() const noexcept { return filters_.empty(); }

  // Runs the filters that apply to `route` in order; the first answer stops the chain. Throws
  // what a filter throws (the front maps it as for handlers).
  std::optional<Response> run(Request& request, const RouteInfo& route) const;

private:
  std::vector<FilterSpec> filters_;
  bool sealed_ = false;
};

} // namespace tmfd::http
