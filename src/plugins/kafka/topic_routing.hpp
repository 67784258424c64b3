#pragma once
// Which Kafka topic an event goes to: its eventType's topic if one is configured, else its
// domain's, else the default topic. Events published to a TMF688 topic are routed the same way.
#include <map>
#include <string>
#include <vector>

#include <tmfd/event.hpp>

namespace tmfd::kafka {

class TopicRouter {
public:
  TopicRouter(std::string default_topic, std::map<std::string, std::string> by_domain,
              std::map<std::string, std::string> by_event_type);

  const std::string& topic_for(const Event& event) const;

  // Every topic an event can be routed to, sorted, each once (for the start-up log line).
  std::vector<std::string> topics() const;

private:
  std::string default_topic_;
  std::map<std::string, std::string> by_domain_;
  std::map<std::string, std::string> by_event_type_;
};

} // namespace tmfd::kafka
