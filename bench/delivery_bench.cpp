// delivery_bench: figures of tmfd's hub callbacks (durable event delivery), against the real
// binary and a callback receiver in this process (test/support/callback_receiver.hpp) that
// answers 204 at once on keep-alive connections. Not a test: it prints figures.
//
//   (a) throughput: a hub is registered while its receiver is stopped (connections refused);
//       --events individuals are created through POST /tmf-api/party/v4/individual by --clients
//       keep-alive connections; once the hub reports them all pending, the receiver starts and
//       the backlog drains. Events per second = distinct events / (last receive - first receive).
//   (b) lag: individuals are created at a fixed --rate for --seconds by --clients paced keep-alive
//       connections while the receiver runs; lag = receive time - the event's eventTime, p50 and
//       p99 over every event (first arrival of each eventId).
//
// Each run starts a fresh tmfd (its own folder and database). With --repeat N every figure is
// the median of N runs. Usually run through bench/delivery_bench.sh; see bench/README.md.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <boost/json.hpp>

#include "bench_load.hpp"
#include "callback_receiver.hpp"
#include "http_client.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using namespace tmfd::bench;
namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kHub = "/tmf-api/party/v4/hub";

struct Options {
  std::size_t events = 100000;   // (a) backlog size
  double rate = 5000;            // (b) creations per second
  double seconds = 10;           // (b) duration of the paced creation
  std::size_t clients = 32;      // concurrent keep-alive POST connections
  int repeat = 1;
  int tmfd_threads = 2;
  int connections = 4;           // delivery.connections_per_subscription
  int batch = 256;               // delivery.batch_size
  std::string synchronous;       // storage.synchronous ("" = tmfd's default)
  double timeout = 900;          // seconds allowed for a backlog to be created or delivered
  bool skip_throughput = false;
  bool skip_lag = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "delivery_bench: %s\n"
               "usage: tmfd_delivery_bench [--events N] [--rate R] [--seconds S] [--clients C] [--repeat K]\n"
               "         [--tmfd-threads T] [--connections N] [--batch N] [--synchronous normal|full]\n"
               "         [--timeout SECONDS] [--no-throughput] [--no-lag]\n",
               why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    auto positive = [&](const std::string& v) {
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (!end || *end || !(d > 0)) usage((a + " needs a positive number").c_str());
      return d;
    };
    if (a == "--events") o.events = static_cast<std::size_t>(positive(value()));
    else if (a == "--rate") o.rate = positive(value());
    else if (a == "--seconds") o.seconds = positive(value());
    else if (a == "--clients") o.clients = static_cast<std::size_t>(positive(value()));
    else if (a == "--repeat") o.repeat = static_cast<int>(positive(value()));
    else if (a == "--tmfd-threads") o.tmfd_threads = static_cast<int>(positive(value()));
    else if (a == "--connections") o.connections = static_cast<int>(positive(value()));
    else if (a == "--batch") o.batch = static_cast<int>(positive(value()));
    else if (a == "--timeout") o.timeout = positive(value());
    else if (a == "--synchronous") {
      o.synchronous = value();
      if (o.synchronous != "normal" && o.synchronous != "full") usage("--synchronous must be normal or full");
    } else if (a == "--no-throughput") o.skip_throughput = true;
    else if (a == "--no-lag") o.skip_lag = true;
    else if (a == "--help" || a == "-h") usage("help");
    else usage(("unknown argument " + a).c_str());
  }
  return o;
}

std::string yaml(const Options& o) {
  std::string y = "server:\n  host: 127.0.0.1\n  port: 0\n  threads: " + std::to_string(o.tmfd_threads) +
                  "\n  shutdown_grace_ms: 2000\n"
                  "storage:\n  path: $DIR/tmfd.db\n";
  if (!o.synchronous.empty()) y += "  synchronous: " + o.synchronous + "\n";
  y += "logging:\n  level: warning\n  access_log: false\n"
       "plugins:\n  directory: " TMFD_PLUGIN_DIR "\n"
       "modules:\n  party:\n    enabled: true\n"
       "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n"
       "  connections_per_subscription: " + std::to_string(o.connections) + "\n"
       "  batch_size: " + std::to_string(o.batch) + "\n"
       // Short backoff: when the receiver starts, the backlog starts draining at once. The refused
       // attempts meanwhile count: without a high max_attempts the backlog would be dead-lettered.
       "  backoff_initial_ms: 20\n  backoff_max_ms: 200\n  max_attempts: 100000000\n";
  return y;
}

std::string register_hub(std::uint16_t port, const std::string& callback) {
  HttpClient c(port);
  auto r = c.post_json(kHub, json::object{{"callback", callback}});
  if (r.status != 201) throw std::runtime_error("hub registration answered " + std::to_string(r.status) + ": " + r.body);
  return std::string(r.json().as_object().at("id").as_string());
}

// The hub's deliveryStatus.pendingEvents (-1 when it cannot be read).
std::int64_t pending_events(HttpClient& c, const std::string& hub) {
  auto r = c.get(kHub + "/" + hub);
  if (r.status != 200) return -1;
  try {
    const json::value hub = r.json();
    return hub.as_object().at("deliveryStatus").as_object().at("pendingEvents").to_number<std::int64_t>();
  } catch (const std::exception&) {
    return -1;
  }
}

// The first 2xx arrival of each eventId.
std::vector<ReceivedRequest> first_arrivals(const CallbackReceiver& rx) {
  std::vector<ReceivedRequest> out;
  std::unordered_set<std::string> seen;
  for (auto& r : rx.accepted())
    if (seen.insert(r.event_id_text).second) out.push_back(std::move(r));
  return out;
}

bool wait_distinct(const CallbackReceiver& rx, std::size_t n, double timeout_s) {
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
  // count() includes re-sends: once it reaches n, check the distinct ids (rarely more than once).
  std::size_t target = n;
  while (rx.wait_for_count(target, deadline)) {
    const std::size_t distinct = first_arrivals(rx).size();
    if (distinct >= n) return true;
    target = rx.count() + (n - distinct);
  }
  return false;
}

struct ThroughputResult {
  bool ok = false;
  std::size_t events = 0, duplicates = 0, connections = 0;
  double seconds = 0, rate = 0, create_rate = 0;
};

ThroughputResult run_throughput(const Options& o) {
  ThroughputResult res;
  CallbackReceiver rx;
  rx.keep_bodies(false);
  rx.stop();  // refused until the backlog is complete
  TmfdOptions to;
  to.full_yaml = yaml(o);
  TmfdProcess tmfd(to);
  const std::string hub = register_hub(tmfd.port(), rx.url("/bench"));

  const auto c0 = Clock::now();
  auto [created, failed] = create_individuals(tmfd.port(), o.clients, o.events, 0, 0);
  const double create_s = std::chrono::duration<double>(Clock::now() - c0).count();
  res.create_rate = static_cast<double>(created) / create_s;
  if (failed != 0 || created != o.events) {
    std::fprintf(stderr, "delivery_bench: %zu of %zu creations failed\n", failed, o.events);
    return res;
  }
  HttpClient c(tmfd.port());
  const auto deadline = Clock::now() + 120s;
  while (pending_events(c, hub) < static_cast<std::int64_t>(o.events) && Clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  if (pending_events(c, hub) < static_cast<std::int64_t>(o.events)) {
    std::fprintf(stderr, "delivery_bench: the hub does not report the %zu events pending (got %lld)\n", o.events,
                 static_cast<long long>(pending_events(c, hub)));
    return res;
  }

  rx.start();
  if (!wait_distinct(rx, o.events, o.timeout)) {
    std::fprintf(stderr, "delivery_bench: only %zu of %zu events delivered within %.0f s\n", first_arrivals(rx).size(),
                 o.events, o.timeout);
    return res;
  }
  const auto firsts = first_arrivals(rx);
  auto first = firsts.front().received_at, last = firsts.front().received_at;
  for (const auto& r : firsts) {
    first = std::min(first, r.received_at);
    last = std::max(last, r.received_at);
  }
  res.events = firsts.size();
  res.duplicates = rx.count() - firsts.size();
  res.connections = rx.connections_accepted();
  res.seconds = std::chrono::duration<double>(last - first).count();
  res.rate = res.seconds > 0 ? static_cast<double>(res.events - 1) / res.seconds : 0;
  res.ok = true;
  return res;
}

struct LagResult {
  bool ok = false;
  std::size_t events = 0, duplicates = 0;
  double create_rate = 0, p50 = 0, p99 = 0, max = 0;
};

LagResult run_lag(const Options& o) {
  LagResult res;
  CallbackReceiver rx;
  rx.keep_bodies(false);
  TmfdOptions to;
  to.full_yaml = yaml(o);
  TmfdProcess tmfd(to);
  register_hub(tmfd.port(), rx.url("/lag"));

  const auto c0 = Clock::now();
  auto [created, failed] = create_individuals(tmfd.port(), o.clients, 0, o.rate, o.seconds);
  const double create_s = std::chrono::duration<double>(Clock::now() - c0).count();
  res.create_rate = static_cast<double>(created) / create_s;
  if (failed != 0) {
    std::fprintf(stderr, "delivery_bench: %zu creations failed\n", failed);
    return res;
  }
  if (!wait_distinct(rx, created, o.timeout)) {
    std::fprintf(stderr, "delivery_bench: only %zu of %zu events delivered within %.0f s\n", first_arrivals(rx).size(),
                 created, o.timeout);
    return res;
  }
  const auto firsts = first_arrivals(rx);
  std::vector<double> lags;
  lags.reserve(firsts.size());
  for (const auto& r : firsts) {
    auto t = parse_utc_timestamp(r.event_time_text);
    if (!t) {
      std::fprintf(stderr, "delivery_bench: an event without a readable eventTime ('%s')\n", r.event_time_text.c_str());
      return res;
    }
    lags.push_back(std::chrono::duration<double, std::milli>(r.received_at - *t).count());
  }
  std::sort(lags.begin(), lags.end());
  res.events = firsts.size();
  res.duplicates = rx.count() - firsts.size();
  res.p50 = percentile(lags, 50);
  res.p99 = percentile(lags, 99);
  res.max = lags.back();
  res.ok = true;
  return res;
}

} // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::printf("delivery_bench: %u CPU(s), load %s; tmfd %s, server.threads %d, delivery connections %d, batch %d,"
              " storage.synchronous %s\n",
              std::thread::hardware_concurrency(), load_average().c_str(), TMFD_BINARY, o.tmfd_threads, o.connections,
              o.batch, o.synchronous.empty() ? "default" : o.synchronous.c_str());
  std::fflush(stdout);

  std::vector<double> tput, create_rates, p50s, p99s, maxes, lag_rates;
  bool all_ok = true;
  try {
    for (int run = 1; run <= o.repeat; ++run) {
      if (!o.skip_throughput) {
        std::printf("== run %d/%d: throughput: backlog of %zu events, then the receiver starts\n", run, o.repeat, o.events);
        std::fflush(stdout);
        auto t = run_throughput(o);
        if (!t.ok) {
          all_ok = false;
        } else {
          tput.push_back(t.rate);
          create_rates.push_back(t.create_rate);
          std::printf("   %zu events in %.2f s (first to last received): %.0f events/s; %zu re-sent; %zu connection(s);"
                      " backlog created at %.0f/s (load %s)\n",
                      t.events, t.seconds, t.rate, t.duplicates, t.connections, t.create_rate, load_average().c_str());
        }
        std::fflush(stdout);
      }
      if (!o.skip_lag) {
        std::printf("== run %d/%d: lag: creations at %.0f/s for %.0f s, receiver running\n", run, o.repeat, o.rate,
                    o.seconds);
        std::fflush(stdout);
        auto l = run_lag(o);
        if (!l.ok) {
          all_ok = false;
        } else {
          p50s.push_back(l.p50);
          p99s.push_back(l.p99);
          maxes.push_back(l.max);
          lag_rates.push_back(l.create_rate);
          std::printf("   %zu events, created at %.0f/s; lag p50 %.1f ms, p99 %.1f ms, max %.1f ms; %zu re-sent (load %s)\n",
                      l.events, l.create_rate, l.p50, l.p99, l.max, l.duplicates, load_average().c_str());
          if (l.create_rate < 0.95 * o.rate)
            std::printf("   note: the clients did not keep the asked rate (%.0f/s of %.0f/s): POSTs were slower than"
                        " the pace; try --clients\n",
                        l.create_rate, o.rate);
        }
        std::fflush(stdout);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "delivery_bench: %s\n", e.what());
    return 2;
  }

  std::printf("\ndelivery benchmark summary (%d run(s), medians), load %s\n", o.repeat, load_average().c_str());
  if (!tput.empty())
    std::printf("  throughput: %.0f events/s delivered, draining a backlog of %zu (backlog created at %.0f/s)\n",
                median(tput), o.events, median(create_rates));
  if (!p50s.empty())
    std::printf("  lag at %.0f creations/s (achieved %.0f/s): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", o.rate,
                median(lag_rates), median(p50s), median(p99s), median(maxes));
  std::printf("RESULT: %s\n", all_ok ? "ran (figures above)" : "FAILED (see the messages above)");
  return all_ok ? 0 : 1;
}
