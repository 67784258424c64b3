#pragma once
// Shape checks of the structured attributes the three inventory specs define (their `required`
// members), run in the kinds' validate hooks. They throw ApiError 400 INVALID_ATTRIBUTE naming
// the element, e.g. "attribute 'productOrderItem[1].productOrderId' is mandatory".
#include <initializer_list>
#include <string>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd::inventory {

// The object `attribute`, or each element of the array `attribute` (when present), must be an
// object with every one of `members` present and not null; members that are strings must not be
// empty.
void require_members(const json::object& resource, const std::string& attribute,
                     std::initializer_list<const char*> members);

// The string attribute `attribute` (when present) must be one of `values` (a TMF enumeration).
void check_enum(const json::object& resource, const std::string& attribute, const std::vector<std::string>& values);

} // namespace tmfd::inventory
