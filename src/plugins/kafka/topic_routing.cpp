#include "topic_routing.hpp"

#include <set>
#include <utility>

namespace tmfd::kafka {

TopicRouter::TopicRouter(std::string default_topic, std::map<std::string, std::string> by_domain,
                         std::map<std::string, std::string> by_event_type)
    : default_topic_(std::move(default_topic)),
      by_domain_(std::move(by_domain)),
      by_event_type_(std::move(by_event_type)) {}

const std::string& TopicRouter::topic_for(const Event& event) const {
  if (auto it = by_event_type_.find(event.event_type); it != by_event_type_.end()) return it->second;
  if (auto it = by_domain_.find(event.domain); it != by_domain_.end()) return it->second;
  return default_topic_;
}

std::vector<std::string> TopicRouter::topics() const {
  std::set<std::string> all{default_topic_};
  for (const auto& [domain, topic] : by_domain_) all.insert(topic);
  for (const auto& [type, topic] : by_event_type_) all.insert(topic);
  return {all.begin(), all.end()};
}

} // namespace tmfd::kafka
