#include "item_shapes.hpp"

#include <algorithm>

#include <tmfd/error.hpp>

namespace tmfd::inventory {

namespace {

void require_in(const json::value& item, const std::string& where, std::initializer_list<const char*> members) {
  if (!item.is_object()) throw ApiError::invalid_attribute(where, "must be an object");
  for (const char* member : members) {
    const json::value* m = item.get_object().if_contains(member);
    if (!m || m->is_null() || (m->is_string() && m->get_string().empty()))
      throw ApiError::invalid_attribute(where + "." + member, "is mandatory");
  }
}

} // namespace

void require_members(const json::object& resource, const std::string& attribute,
                     std::initializer_list<const char*> members) {
  const json::value* v = resource.if_contains(attribute);
  if (!v || v->is_null()) return;
  if (!v->is_array()) {
    require_in(*v, attribute, members);
    return;
  }
  std::size_t i = 0;
  for (const auto& item : v->get_array()) require_in(item, attribute + "[" + std::to_string(i++) + "]", members);
}

void check_enum(const json::object& resource, const std::string& attribute, const std::vector<std::string>& values) {
  const json::value* v = resource.if_contains(attribute);
  if (!v || v->is_null()) return;
  if (v->is_string() && std::find(values.begin(), values.end(), v->get_string()) != values.end()) return;
  std::string allowed;
  for (const auto& s : values) allowed += (allowed.empty() ? "" : ", ") + s;
  throw ApiError::invalid_attribute(attribute, "must be one of: " + allowed);
}

} // namespace tmfd::inventory
