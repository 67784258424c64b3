#pragma once
// TMF630 attribute selection (the fields= query parameter), applied to a resource just before
// it is served.
#include <string>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd::resource {

// Keeps only the listed attributes of `resource`, in the resource's own member order:
//  - "a" keeps the top-level attribute a whole;
//  - "a.b" keeps a restricted to its sub-attribute b (recursively for longer paths). When a is
//    an array, each element is projected: object elements keep only b (possibly becoming {}),
//    other elements are dropped. A scalar a has no sub-attribute, so it is dropped;
//  - listing "a" together with "a.b" keeps a whole; unknown attributes are ignored.
// id, href and @type are always kept so the client can still identify and fetch the resource.
// An empty `fields` means no projection: the whole resource is returned (as ListQuery::fields).
json::object project_fields(const json::object& resource, const std::vector<std::string>& fields);

} // namespace tmfd::resource
