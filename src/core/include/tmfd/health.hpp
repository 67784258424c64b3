#pragma once
// Health checks of a module or plugin, reported by the kernel on /health/ready beside its own
// (the store). An adapter says whether the system it talks to is reachable and working; whether
// that makes tmfd unready is the module's choice (`required`), usually an operator's setting:
// most deployments want tmfd to keep taking requests while, say, Kafka is down, because events
// wait in the outbox meanwhile.
#include <functional>
#include <string>

namespace tmfd {

struct HealthReport {
  bool healthy = true;
  std::string detail;  // why not, in a few words (shown on /health/ready); empty when healthy
};

struct HealthCheck {
  std::string name;  // the key on /health/ready, e.g. "kafka"
  // A failing check answers /health/ready with 503 only when required.
  bool required = false;
  // Called from HTTP threads, on each /health/ready: quick, thread-safe, must not throw. The
  // kernel keeps it after the module stopped, so it should own (share) the state it reads.
  std::function<HealthReport()> report;
};

} // namespace tmfd
