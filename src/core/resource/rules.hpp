#pragma once
// The checks the engine applies to every resource it writes, from the kind's declaration:
// mandatory attributes, attribute types, lifecycle states and transitions, immutable attributes.
// Each throws ApiError (400 or 409) naming the attribute.
#include <tmfd/json.hpp>
#include <tmfd/resource_kind.hpp>

namespace tmfd::resource {

void check_mandatory(const ResourceKind& kind, const json::object& resource);
void check_attribute_types(const ResourceKind& kind, const json::object& resource);
// Maps accepted aliases to the intended state, fills the initial state on create, refuses
// unknown states and (when `previous` is given) transitions the lifecycle does not allow.
void apply_lifecycle(const ResourceKind& kind, json::object& resource, const json::object* previous);
// Refuses a change of id, href or any attribute the kind declares immutable.
void check_immutable(const ResourceKind& kind, const json::object& before, const json::object& after);

} // namespace tmfd::resource
