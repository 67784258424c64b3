#pragma once
// librdkafka's verdict on the producer properties, without creating a producer (no threads, no
// connection): for `tmfd --check-config`, so that a property librdkafka refuses is reported
// before the start rather than by it.
#include <vector>

#include "settings.hpp"

namespace tmfd::kafka {

// Throws std::invalid_argument("plugins.kafka.properties.<name>: <librdkafka's reason>"), with
// the value, which may be a secret, never quoted.
void check_properties(const std::vector<Property>& properties);

} // namespace tmfd::kafka
