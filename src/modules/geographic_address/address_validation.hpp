#pragma once
// geographicAddressValidation as a task resource: the POST runs the validation against the
// stored addresses before anything is written, so its 201 carries the finished task.
#include <cstddef>

#include <tmfd/resources.hpp>

namespace tmfd::geographic_address {

struct ValidationOptions {
  std::size_t max_alternates = 5;  // alternateGeographicAddress entries at most
};

// `resources` must outlive the hooks (the module's context does).
ResourceHooks validation_hooks(Resources& resources, ValidationOptions options);

} // namespace tmfd::geographic_address
