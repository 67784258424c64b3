#include "http/filter_chain.hpp"

#include <algorithm>
#include <stdexcept>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

namespace tmfd::http {

void FilterChain::add(FilterSpec spec) {
  if (sealed_)
    throw std::logic_error("filter '" + spec.name + "' added after the HTTP front started; add filters in start() or serving()");
  if (spec.name.empty() || !spec.filter) throw std::invalid_argument("a filter needs a name and a function");
  // After every filter of the same order or lower: equal orders keep the order of addition.
  auto at = std::upper_bound(filters_.begin(), filters_.end(), spec.order,
                             [](int order, const FilterSpec& f) { return order < f.order; });
  filters_.insert(at, std::move(spec));
}

std::optional<Response> FilterChain::run(Request& request, const RouteInfo& route) const {
  for (const auto& f : filters_) {
    if (route.is_public && !f.also_public) continue;
    try {
      if (auto answer = f.filter(request, route)) return answer;
    } catch (const ApiError&) {
      throw;  // a refusal
    } catch (const std::exception& e) {
      // A broken filter refuses (the front answers 500): failing open would skip a check.
      log::error("http", "filter failed", {{"filter", f.name}, {"error", e.what()}});
      throw;
    }
  }
  return std::nullopt;
}

} // namespace tmfd::http
