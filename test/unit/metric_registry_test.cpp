// The modules' metrics (tmfd/metrics.hpp) as the kernel keeps and renders them.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "observability/metric_registry.hpp"

using tmfd::observability::MetricRegistry;
using Catch::Matchers::Contains;

TEST_CASE("module metrics render in the Prometheus text format, one family per name", "[metrics]") {
  MetricRegistry registry;
  tmfd::metrics::Registry& r = registry;  // as modules see it
  auto& sent = r.counter("x_sent_total", "Sent.");
  sent.add();
  sent.add(4);
  r.counter("x_errors_total", "Errors.", {{"error", "_ALL_BROKERS_DOWN"}}).add(2);
  r.counter("x_errors_total", "Errors.", {{"error", "a \"quoted\\\" one"}}).add();
  auto& depth = r.gauge("x_depth", "Depth.");
  depth.set(7);
  depth.add(-2.5);
  auto& latency = r.histogram("x_latency_seconds", "Latency.", {0.01, 0.1});
  latency.observe(0.005);
  latency.observe(0.05);
  latency.observe(3);
  std::string out;
  registry.render(out);
  INFO(out);
  CHECK_THAT(out, Contains("# HELP x_sent_total Sent.\n# TYPE x_sent_total counter\nx_sent_total 5\n"));
  CHECK_THAT(out, Contains("x_errors_total{error=\"_ALL_BROKERS_DOWN\"} 2\n"));
  CHECK_THAT(out, Contains("x_errors_total{error=\"a \\\"quoted\\\\\\\" one\"} 1\n"));
  CHECK_THAT(out, Contains("# TYPE x_depth gauge\nx_depth 4.5\n"));
  CHECK_THAT(out, Contains("# TYPE x_latency_seconds histogram\n"));
  CHECK_THAT(out, Contains("x_latency_seconds_bucket{le=\"0.01\"} 1\n"));
  CHECK_THAT(out, Contains("x_latency_seconds_bucket{le=\"0.1\"} 2\n"));
  CHECK_THAT(out, Contains("x_latency_seconds_bucket{le=\"+Inf\"} 3\n"));
  CHECK_THAT(out, Contains("x_latency_seconds_count 3\n"));
  // One HELP line per family, however many label sets.
  CHECK(out.find("# HELP x_errors_total") == out.rfind("# HELP x_errors_total"));
}

TEST_CASE("asking twice for a metric gives the same instrument; conflicting or invalid names are refused",
          "[metrics]") {
  MetricRegistry registry;
  tmfd::metrics::Registry& r = registry;
  auto& a = r.counter("x_total", "X.", {{"k", "v"}});
  CHECK(&a == &r.counter("x_total", "X.", {{"k", "v"}}));
  CHECK(&a != &r.counter("x_total", "X.", {{"k", "w"}}));
  CHECK_THROWS_AS(r.gauge("x_total", "X."), std::invalid_argument);              // another type
  CHECK_THROWS_AS(r.counter("x_total", "Other help."), std::invalid_argument);  // another help
  CHECK_THROWS_AS(r.counter("1x", "X."), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("x-y", "X."), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("y_total", "Y.", {{"le", "1"}}), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("y_total", "Y.", {{"__name", "1"}}), std::invalid_argument);
  CHECK_THROWS_AS(r.histogram("h", "H.", {0.5, 0.1}), std::invalid_argument);
  r.histogram("h", "H.", {0.1, 0.5});
  CHECK_THROWS_AS(r.histogram("h", "H.", {0.1, 1}), std::invalid_argument);  // other buckets
}
