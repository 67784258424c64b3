#include "bench_load.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include "http_client.hpp"

namespace tmfd::bench {

namespace {

using Clock = std::chrono::steady_clock;
using tmfd::test::HttpClient;
const std::string kIndividuals = "/tmf-api/party/v4/individual";

std::string individual_body(std::size_t n) {
  return "{\"givenName\":\"G" + std::to_string(n) + "\",\"familyName\":\"Bench\",\"gender\":\"female\","
         "\"nationality\":\"GB\",\"birthDate\":\"1985-12-10T00:00:00Z\"}";
}

} // namespace

std::pair<std::size_t, std::size_t> create_individuals(std::uint16_t port, std::size_t clients, std::size_t count,
                                                       double rate, double seconds) {
  std::atomic<std::size_t> next{0}, created{0}, failed{0};
  const auto start = Clock::now();
  const std::size_t total = rate > 0 ? static_cast<std::size_t>(rate * seconds) : count;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      HttpClient c(port);
      for (;;) {
        const std::size_t n = next++;
        if (n >= total) return;
        if (rate > 0) {
          // Creation n is due at start + n / rate; a late one goes at once.
          const auto due = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(n / rate));
          std::this_thread::sleep_until(due);
        }
        try {
          auto r = c.request("POST", kIndividuals, individual_body(n), {{"Content-Type", "application/json"}});
          (r.status == 201 ? created : failed)++;
        } catch (const std::exception&) {
          failed++;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  return {created.load(), failed.load()};
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a.empty() ? "?" : a + " " + b + " " + c;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

} // namespace tmfd::bench
