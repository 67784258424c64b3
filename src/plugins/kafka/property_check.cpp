#include "property_check.hpp"

#include <librdkafka/rdkafka.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>

namespace tmfd::kafka {

namespace {

struct ConfFree {
  void operator()(rd_kafka_conf_t* c) const { rd_kafka_conf_destroy(c); }
};

} // namespace

void check_properties(const std::vector<Property>& properties) {
  std::unique_ptr<rd_kafka_conf_t, ConfFree> conf(rd_kafka_conf_new());
  std::array<char, 512> err{};
  for (const Property& p : properties) {
    if (rd_kafka_conf_set(conf.get(), p.name.c_str(), p.value.c_str(), err.data(), err.size()) == RD_KAFKA_CONF_OK)
      continue;
    std::string reason(err.data());
    // librdkafka quotes refused values: take them out, they may be passwords.
    if (!p.value.empty())
      for (auto pos = reason.find(p.value); pos != std::string::npos; pos = reason.find(p.value, pos + 3))
        reason.replace(pos, p.value.size(), "***");
    throw std::invalid_argument("plugins.kafka.properties." + p.name + ": " + reason);
  }
}

} // namespace tmfd::kafka
