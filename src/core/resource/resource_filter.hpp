#pragma once
// RequestContext::resource_filter as the engine applies it (see tmfd/context.hpp).
#include <vector>

#include <tmfd/context.hpp>
#include <tmfd/json.hpp>

#include "query/list_query.hpp"

namespace tmfd::resource {

// The context's filters, parsed (empty when it sets none).
std::vector<query::Filter> resource_filters(const RequestContext& context);
// The resource passes every filter.
bool within(const json::value& resource, const std::vector<query::Filter>& filters);
// 404 when a stored resource lies outside the request's filters (the caller may not know it exists).
void require_visible(const RequestContext& context, std::string_view stored_body, const std::string& what);
// 403 when a resource the request would write lies outside them.
void require_writable(const RequestContext& context, const json::value& resource);

} // namespace tmfd::resource
