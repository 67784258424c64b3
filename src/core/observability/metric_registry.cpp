#include "observability/metric_registry.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "observability/metrics.hpp"

namespace tmfd::observability {

namespace {

bool valid_name(const std::string& name, bool colon_allowed) {
  if (name.empty()) return false;
  auto letter = [&](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_allowed && c == ':'); };
  if (!letter(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

// The exposition format's escapes: backslash and newline everywhere, the quote in label values.
std::string escaped(const std::string& text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (quote && c == '"') out += "\\\"";
    else out += c;
  }
  return out;
}

// `a="x",b="y"`, in the order given (which the caller keeps stable), checked and escaped.
std::string label_text(const metrics::Labels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!valid_name(name, false) || name.starts_with("__") || name == "le")
      throw std::invalid_argument("metric label name '" + name + "' is not allowed");
    out += (out.empty() ? "" : ",") + name + "=\"" + escaped(value, true) + "\"";
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

class CounterImpl final : public metrics::Counter {
public:
  void add(std::uint64_t n) noexcept override { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<std::uint64_t> value_{0};
};

class GaugeImpl final : public metrics::Gauge {
public:
  void set(double v) noexcept override { value_.store(v, std::memory_order_relaxed); }
  void add(double d) noexcept override { value_.fetch_add(d, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<double> value_{0};
};

class HistogramImpl final : public metrics::Histogram {
public:
  explicit HistogramImpl(std::vector<double> bounds) : histogram_(std::move(bounds)) {}
  void observe(double v) noexcept override { histogram_.observe(v); }
  const observability::Histogram& histogram() const { return histogram_; }

private:
  observability::Histogram histogram_;
};

} // namespace

struct MetricRegistry::Family {
  std::string help;
  const char* type = "";
  std::vector<double> bounds;
  // label text -> instrument; one of the three kinds, as `type` says
  std::map<std::string, std::unique_ptr<CounterImpl>> counters;
  std::map<std::string, std::unique_ptr<GaugeImpl>> gauges;
  std::map<std::string, std::unique_ptr<HistogramImpl>> histograms;
};

MetricRegistry::MetricRegistry() = default;
MetricRegistry::~MetricRegistry() = default;

MetricRegistry::Family& MetricRegistry::family(const std::string& name, const std::string& help, const char* type,
                                               const std::vector<double>& upper_bounds) {
  if (!valid_name(name, true)) throw std::invalid_argument("metric name '" + name + "' is not allowed");
  auto [it, added] = families_.try_emplace(name);
  if (added) {
    it->second = std::make_unique<Family>();
    it->second->help = help;
    it->second->type = type;
    it->second->bounds = upper_bounds;
    return *it->second;
  }
  Family& f = *it->second;
  if (std::string(f.type) != type || f.help != help || f.bounds != upper_bounds)
    throw std::invalid_argument("metric " + name + " is registered already with another type, help or buckets");
  return f;
}

metrics::Counter& MetricRegistry::counter(const std::string& name, const std::string& help,
                                          const metrics::Labels& labels) {
  const std::string key = label_text(labels);
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, "counter", {}).counters[key];
  if (!slot) slot = std::make_unique<CounterImpl>();
  return *slot;
}

metrics::Gauge& MetricRegistry::gauge(const std::string& name, const std::string& help, const metrics::Labels& labels) {
  const std::string key = label_text(labels);
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, "gauge", {}).gauges[key];
  if (!slot) slot = std::make_unique<GaugeImpl>();
  return *slot;
}

metrics::Histogram& MetricRegistry::histogram(const std::string& name, const std::string& help,
                                              const std::vector<double>& upper_bounds, const metrics::Labels& labels) {
  if (upper_bounds.empty() || !std::is_sorted(upper_bounds.begin(), upper_bounds.end()) ||
      std::adjacent_find(upper_bounds.begin(), upper_bounds.end()) != upper_bounds.end())
    throw std::invalid_argument("metric " + name + ": bucket bounds must be given in ascending order");
  const std::string key = label_text(labels);
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, "histogram", upper_bounds).histograms[key];
  if (!slot) slot = std::make_unique<HistogramImpl>(upper_bounds);
  return *slot;
}

void MetricRegistry::render(std::string& out) const {
  std::lock_guard lock(mutex_);
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + escaped(f->help, false) + "\n# TYPE " + name + " " + f->type + "\n";
    auto braced = [](const std::string& labels) { return labels.empty() ? std::string() : "{" + labels + "}"; };
    for (const auto& [labels, c] : f->counters) out += name + braced(labels) + " " + std::to_string(c->value()) + "\n";
    for (const auto& [labels, g] : f->gauges) out += name + braced(labels) + " " + number(g->value()) + "\n";
    for (const auto& [labels, h] : f->histograms) h->histogram().render(out, name, labels);
  }
}

} // namespace tmfd::observability
