#pragma once
// What both event benchmarks (delivery_bench, kafka_bench) share: making events through the API
// with many keep-alive clients, and the statistics they print.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tmfd::bench {

// Creates individuals (POST /tmf-api/party/v4/individual) from `clients` keep-alive connections.
// With rate > 0 the creations are paced at `rate` per second in total for `seconds`; otherwise
// exactly `count` are sent as fast as the connections go. Returns {created (201), failed}.
std::pair<std::size_t, std::size_t> create_individuals(std::uint16_t port, std::size_t clients, std::size_t count,
                                                       double rate, double seconds);

// The 1, 5 and 15 minute load averages, "?" when /proc cannot tell.
std::string load_average();

double median(std::vector<double> values);
// The p-th percentile (nearest rank) of already sorted values.
double percentile(const std::vector<double>& sorted, double p);

} // namespace tmfd::bench
