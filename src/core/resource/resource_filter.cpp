#include "resource/resource_filter.hpp"

#include <tmfd/error.hpp>

#include "query/json_match.hpp"

namespace tmfd::resource {

std::vector<query::Filter> resource_filters(const RequestContext& context) {
  if (context.resource_filter.empty()) return {};
  return query::parse_list_query(context.resource_filter).filters;
}

bool within(const json::value& resource, const std::vector<query::Filter>& filters) {
  for (const auto& f : filters) {
    std::vector<std::string_view> values(f.values.begin(), f.values.end());
    if (!query::json_matches(resource, f.path, f.op, values)) return false;
  }
  return true;
}

void require_visible(const RequestContext& context, std::string_view stored_body, const std::string& what) {
  if (context.resource_filter.empty()) return;
  boost::system::error_code ec;
  auto doc = json::parse(stored_body, ec);
  if (ec || !within(doc, resource_filters(context))) throw ApiError::not_found(what + " does not exist");
}

void require_writable(const RequestContext& context, const json::value& resource) {
  if (context.resource_filter.empty()) return;
  if (!within(resource, resource_filters(context)))
    throw ApiError(403, "FORBIDDEN", "Forbidden", "the resource must stay within what the caller may access");
}

} // namespace tmfd::resource
