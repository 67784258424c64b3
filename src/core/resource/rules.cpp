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
  // A subtype with mandatory attributes of its own replaces the kind's for its resources.
  const std::vector<std::string>* mandatory = &kind.mandatory;
  if (!kind.subtypes.empty())
    if (const auto* type = resource.if_contains("@type"); type && type->is_string())
      for (const auto& sub : kind.subtypes)
        if (sub.mandatory && sub.type == type->get_string()) mandatory = &*sub.mandatory;
  for (const auto& name : *mandatory) {
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

namespace {

// The state `lc.field` of one entity (the resource, or an element of an array attribute), named
// `label` in errors: set to the initial state on creation, checked against the legal states, and
// against the transitions when `previous` (the entity's former version) is given.
void apply_state(const Lifecycle& lc, json::object& entity, const json::object* previous, const std::string& label) {
  auto it = entity.find(lc.field);
  if (it == entity.end() || it->value().is_null()) {
    if (previous) {
      // Removing the state of an existing entity is not a transition the lifecycle knows.
      auto prev = previous->find(lc.field);
      if (prev != previous->end()) throw ApiError::invalid_attribute(label, "cannot be removed");
      return;
    }
    if (!lc.initial.empty()) entity[lc.field] = lc.initial;
    return;
  }
  if (!it->value().is_string()) throw ApiError::invalid_attribute(label, "must be a string");
  std::string state(it->value().get_string());
  for (const auto& [alias, intended] : lc.aliases)
    if (state == alias) state = intended;
  if (!lc.states.empty() && !contains(lc.states, state)) {
    std::string allowed;
    for (const auto& s : lc.states) allowed += (allowed.empty() ? "" : ", ") + s;
    throw ApiError::invalid_attribute(label, "has unknown state '" + state + "' (allowed: " + allowed + ")");
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
                 label + " cannot change from '" + from + "' to '" + state + "'");
}

const json::object* element_with_id(const json::value* array, const json::value& id) {
  if (!array || !array->is_array() || id.is_null()) return nullptr;
  for (const auto& e : array->get_array())
    if (e.is_object())
      if (auto* other = e.get_object().if_contains("id"); other && *other == id) return &e.get_object();
  return nullptr;
}

// Each element of the array `il.array` has its own state: elements are matched with their former
// version by "id"; an element that is new (or has no id) starts in the initial state.
void apply_item_lifecycle(const ItemLifecycle& il, json::object& resource, const json::object* previous) {
  auto* items = resource.if_contains(il.array);
  if (!items || items->is_null()) return;
  if (!items->is_array()) return;  // the attribute's type check names that
  const json::value* before = previous ? previous->if_contains(il.array) : nullptr;
  std::size_t index = 0;
  for (auto& item : items->get_array()) {
    if (!item.is_object()) throw ApiError::invalid_attribute(il.array, "must hold objects");
    auto& element = item.get_object();
    const json::value* id = element.if_contains("id");
    std::string label = il.array + "[" + (id && id->is_string() ? "id=" + std::string(id->get_string())
                                                                 : std::to_string(index)) + "]." + il.lifecycle.field;
    apply_state(il.lifecycle, element, id ? element_with_id(before, *id) : nullptr, label);
    ++index;
  }
}

} // namespace

void apply_lifecycle(const ResourceKind& kind, json::object& resource, const json::object* previous) {
  if (kind.lifecycle) apply_state(*kind.lifecycle, resource, previous, kind.lifecycle->field);
  for (const auto& il : kind.item_lifecycles) apply_item_lifecycle(il, resource, previous);
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
