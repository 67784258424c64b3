// stateful_bench: figures of the stateful SDK against the real binary with the party module and
// the reaction_probe plugin (bench/plugins/reaction_probe.cpp). Not a test: it prints figures.
//
//   (a) unit-of-work cost: --units POSTs of one individual and --units units of work of 5
//       individuals each (POST /bench/unitOfWork), in alternating blocks (unit_cost says why), both
//       from --clients keep-alive connections as fast as they go; prints requests per second of
//       each and the cost ratio (time per unit / time per POST; target: under 2).
//   (b) reaction latency: individuals are created at --rate per second for --seconds by --clients
//       paced connections; the probe's durable reaction records, for each event, when its handler
//       started minus the event's eventTime (set before the write is queued, so this is an upper
//       bound of "commit to handler"); prints p50/p99/max (target: p99 under 5 ms at 2,000/s).
// Each part runs a fresh tmfd (own folder and database, storage.synchronous full: the default).
// Usually run through bench/stateful_bench.sh; see bench/README.md.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "bench_load.hpp"
#include "http_client.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using namespace tmfd::bench;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string plugin_dir;  // holds tmfd_party.so and tmfd_reaction_probe.so
  std::size_t units = 40000;
  std::size_t clients = 32;
  double rate = 2000;
  double seconds = 10;
  int repeat = 1;
};

TmfdOptions tmfd_options(const Options& o, bool reaction) {
  TmfdOptions t;
  t.full_yaml = "server:\n  port: 0\n  threads: 2\nstorage:\n  path: $DIR/tmfd.db\n"
                "logging:\n  access_log: false\n"
                "plugins:\n  directory: " + o.plugin_dir + "\nmodules:\n  party: {}\n  reaction_probe: {}\n";
  t.environment = {{"TMFD_PROBE_REACTION", reaction ? "on" : "off"}};
  return t;
}

std::string individual(std::size_t n) {
  return "{\"givenName\":\"U" + std::to_string(n) + "\",\"familyName\":\"Unit\",\"gender\":\"female\"}";
}

// Sends `count` requests of `body_of(n)` to `path` from `clients` connections; requests per second.
template <class Body> double hammer(std::uint16_t port, const std::string& path, std::size_t count,
                                    std::size_t clients, Body body_of) {
  std::atomic<std::size_t> next{0}, failed{0};
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < clients; ++t)
    threads.emplace_back([&] {
      HttpClient c(port);
      for (std::size_t n; (n = next++) < count;)
        if (c.request("POST", path, body_of(n), {{"Content-Type", "application/json"}}).status != 201) ++failed;
    });
  for (auto& t : threads) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - started).count();
  // A figure that counts refusals as work done would be false: stop instead.
  if (failed) throw std::runtime_error(std::to_string(failed.load()) + " requests to " + path + " failed");
  return count / secs;
}

struct CostFigures {
  double posts_per_s, units_per_s;
};

std::string unit_body(std::size_t n) {
  std::string body = "[";
  for (int i = 0; i < 5; ++i) body += (i ? "," : "") + individual(n * 5 + i);
  return body + "]";
}

// POSTs and units alternate in blocks on one database, in the order POST unit unit POST (twice):
// the database grows and the write-ahead log fills and restarts as the run goes on, and this
// order gives both sides the same share of early and late blocks, so that drift does not count
// as cost. Each side's rate is its requests over its blocks' total time.
CostFigures unit_cost(const Options& o) {
  TmfdProcess tmfd(tmfd_options(o, false));
  const auto port = tmfd.port();
  // Warm-up: connections, statement caches, the WAL.
  hammer(port, "/tmf-api/party/v4/individual", 2000, o.clients, individual);
  constexpr std::size_t kBlocks = 4;  // of each side
  const std::size_t per_block = std::max<std::size_t>(o.units / kBlocks, 1);
  double post_seconds = 0, unit_seconds = 0;
  std::size_t next_post = 0, next_unit = 0;
  for (std::size_t block = 0; block < 2 * kBlocks; ++block) {
    const bool post = block % 4 == 0 || block % 4 == 3;
    if (post) {
      const std::size_t first = next_post;
      post_seconds += per_block / hammer(port, "/tmf-api/party/v4/individual", per_block, o.clients,
                                         [first](std::size_t n) { return individual(first + n); });
      next_post += per_block;
    } else {
      const std::size_t first = next_unit;
      unit_seconds += per_block / hammer(port, "/bench/unitOfWork", per_block, o.clients,
                                         [first](std::size_t n) { return unit_body(1000000 + first + n); });
      next_unit += per_block;
    }
  }
  return {kBlocks * per_block / post_seconds, kBlocks * per_block / unit_seconds};
}

struct LagFigures {
  double p50_ms, p99_ms, max_ms;              // handler start - eventTime
  double commit_p50_ms, commit_p99_ms, commit_max_ms;  // handler start - commit (seen on the bus)
  std::size_t events;
};

LagFigures reaction_lag(const Options& o) {
  TmfdProcess tmfd(tmfd_options(o, true));
  const auto [created, failed] = create_individuals(tmfd.port(), o.clients, 0, o.rate, o.seconds);
  if (failed) std::fprintf(stderr, "  %zu creations failed\n", failed);
  HttpClient c(tmfd.port());
  std::vector<double> ms, commit_ms;
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    auto v = c.get("/bench/reactionLatency").json().as_object();
    if (static_cast<std::size_t>(v.at("count").as_int64()) >= created) {
      for (auto& m : v.at("micros").as_array()) ms.push_back(static_cast<double>(m.as_int64()) / 1000.0);
      for (auto& m : v.at("sinceCommitMicros").as_array())
        commit_ms.push_back(static_cast<double>(m.as_int64()) / 1000.0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (ms.empty()) throw std::runtime_error("the reaction did not handle every event in 60 s");
  std::sort(ms.begin(), ms.end());
  std::sort(commit_ms.begin(), commit_ms.end());
  return {percentile(ms, 50),        percentile(ms, 99),        ms.back(),
          percentile(commit_ms, 50), percentile(commit_ms, 99), commit_ms.back(), ms.size()};
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--plugin-dir") o.plugin_dir = v;
    else if (k == "--units") o.units = std::stoul(v);
    else if (k == "--clients") o.clients = std::stoul(v);
    else if (k == "--rate") o.rate = std::stod(v);
    else if (k == "--seconds") o.seconds = std::stod(v);
    else if (k == "--repeat") o.repeat = std::stoi(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (o.plugin_dir.empty()) {
    std::fprintf(stderr, "usage: tmfd_stateful_bench --plugin-dir DIR [--units N] [--clients N] [--rate R] "
                         "[--seconds S] [--repeat N]\n");
    return 2;
  }
  try {
    std::printf("load average before: %s\n", load_average().c_str());
    std::vector<double> posts, units, ratios, p50, p99, max, c50, c99, cmax;
    for (int r = 0; r < o.repeat; ++r) {
      auto cost = unit_cost(o);
      posts.push_back(cost.posts_per_s);
      units.push_back(cost.units_per_s);
      ratios.push_back(cost.posts_per_s / cost.units_per_s);
      std::printf("run %d: POST individual %.0f req/s; unit of work of 5 creations %.0f units/s; cost ratio %.2f\n",
                  r + 1, cost.posts_per_s, cost.units_per_s, ratios.back());
      auto lag = reaction_lag(o);
      p50.push_back(lag.p50_ms);
      p99.push_back(lag.p99_ms);
      max.push_back(lag.max_ms);
      c50.push_back(lag.commit_p50_ms);
      c99.push_back(lag.commit_p99_ms);
      cmax.push_back(lag.commit_max_ms);
      std::printf("run %d: reaction start at %.0f events/s over %zu events: after eventTime p50 %.2f / p99 %.2f / "
                  "max %.2f ms; after commit p50 %.2f / p99 %.2f / max %.2f ms\n",
                  r + 1, o.rate, lag.events, lag.p50_ms, lag.p99_ms, lag.max_ms, lag.commit_p50_ms,
                  lag.commit_p99_ms, lag.commit_max_ms);
      std::fflush(stdout);
    }
    std::printf("\nmedians over %d run(s), load average after: %s\n", o.repeat, load_average().c_str());
    std::printf("  POST individual (durable)            %8.0f req/s\n", median(posts));
    std::printf("  unit of work, 5 creations            %8.0f units/s\n", median(units));
    std::printf("  cost of a unit / cost of a POST      %8.2f   (target < 2)\n", median(ratios));
    std::printf("  reaction start after commit, p50     %8.2f ms\n", median(c50));
    std::printf("  reaction start after commit, p99     %8.2f ms (target < 5 at 2,000 events/s)\n", median(c99));
    std::printf("  reaction start after commit, max     %8.2f ms\n", median(cmax));
    std::printf("  reaction start after eventTime, p50  %8.2f ms (includes the triggering write's queue and commit)\n",
                median(p50));
    std::printf("  reaction start after eventTime, p99  %8.2f ms\n", median(p99));
    std::printf("  reaction start after eventTime, max  %8.2f ms\n", median(max));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stateful_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
