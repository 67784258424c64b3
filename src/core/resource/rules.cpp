#include "resource/rules.hpp"

#include <algorithm>
#include <cstring>

#include <tmfd/date_time.hpp>
#include <tmfd/error.hpp>

namespace tmfd::resource {

namespace {

const char* type_name(AttributeType t) {
  switch (t) {
  case AttributeType::String: return "a string";
  case AttributeType::DateTime: return "a date-time string (ISO 8601)";
  case AttributeType::Boolean: return "a boolean";
  case AttributeType::Integer: return "an integer";
  case AttributeType::Number: return "a number";
  case AttributeType::Object: return "an object";
  case AttributeType::Array: return "an array";
  }
  return "valid";
}

bool has_type(const json::value& v, AttributeType t) {
  switch (t) {
  case AttributeType::String: return v.is_string();
  case AttributeType::DateTime: return v.is_string() && is_date_time(v.get_string());
  case AttributeType::Boolean: return v.is_bool();
  case AttributeType::Integer: return v.is_int64() || v.is_uint64();
  case AttributeType::Number: return v.is_number();
  case AttributeType::Object: return v.is_object();
  case AttributeType::Array: return v.is_array();
  }
  return false;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

void check_mandatory(const ResourceKind& kind, const json::object& resource) {
  for (const auto& name : kind.mandatory) {
    auto it = resource.find(name);
    if (it == resource.end() || it->value().is_null() ||
        (it->value().is_string() && it->value().get_string().empty()))
      throw ApiError::missing_attribute(name);
  }
}

void check_attribute_types(const ResourceKind& kind, const json::object& resource) {
  for (const auto& attr : kind.attributes) {
    auto it = resource.find(attr.name);
    if (it == resource.end() || it->value().is_null()) continue;
    if (!has_type(it->value(), attr.type))
      throw ApiError::invalid_attribute(attr.name, std::string("must be ") + type_name(attr.type));
  }
  // The TMF630 meta attributes are strings wherever they appear at the top level.
  for (const char* meta : {"@type", "@baseType", "@schemaLocation", "@referredType"}) {
    auto it = resource.find(meta);
    if (it != resource.end() && !it->value().is_string())
      throw ApiError::invalid_attribute(meta, "must be a string");
  }
}

void apply_lifecycle(const ResourceKind& kind, json::object& resource, const json::object* previous) {
  if (!kind.lifecycle) return;
  const Lifecycle& lc = *kind.lifecycle;
  auto it = resource.find(lc.field);
  if (it == resource.end() || it->value().is_null()) {
    if (previous) {
      // Removing the state of an existing resource is not a transition the lifecycle knows.
      auto prev = previous->find(lc.field);
      if (prev != previous->end()) throw ApiError::invalid_attribute(lc.field, "cannot be removed");
      return;
    }
    if (!lc.initial.empty()) resource[lc.field] = lc.initial;
    return;
  }
  if (!it->value().is_string()) throw ApiError::invalid_attribute(lc.field, "must be a string");
  std::string state(it->value().get_string());
  for (const auto& [alias, intended] : lc.aliases)
    if (state == alias) state = intended;
  if (!lc.states.empty() && !contains(lc.states, state)) {
    std::string allowed;
    for (const auto& s : lc.states) allowed += (allowed.empty() ? "" : ", ") + s;
    throw ApiError::invalid_attribute(lc.field, "has unknown state '" + state + "' (allowed: " + allowed + ")");
  }
  it->value() = state;
  if (!previous) return;
  auto prev = previous->find(lc.field);
  if (prev == previous->end() || !prev->value().is_string()) return;
  std::string from(prev->value().get_string());
  if (from == state || lc.transitions.empty()) return;
  for (const auto& [f, t] : lc.transitions)
    if (f == from && t == state) return;
  throw ApiError(409, "INVALID_STATE_TRANSITION", "Illegal state transition",
                 lc.field + " cannot change from '" + from + "' to '" + state + "'");
}

void check_immutable(const ResourceKind& kind, const json::object& before, const json::object& after) {
  auto check = [&](std::string_view name) {
    auto b = before.find(name);
    auto a = after.find(name);
    bool had = b != before.end(), has = a != after.end();
    if (had != has || (had && b->value() != a->value()))
      throw ApiError::invalid_attribute(std::string(name), "cannot be changed");
  };
  check("id");
  check("href");
  for (const auto& name : kind.immutable) check(name);
  if (!kind.created_field.empty()) check(kind.created_field);
}

} // namespace tmfd::resource
