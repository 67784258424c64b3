// kafka_bench: figures of the Kafka adapter (tmfd_kafka.so), against the real binary and a
// librdkafka mock cluster of --brokers brokers run by this process on localhost ports, read back
// by a consumer of this process. Not a test: it prints figures.
//
//   (a) throughput: tmfd starts with the plugin while the brokers are up; every broker is then
//       taken down (rd_kafka_mock_broker_set_down) and --events individuals are created through
//       POST /tmf-api/party/v4/individual by --clients keep-alive connections (committed in the
//       outbox, unpublished). The brokers come back up and the backlog drains. Events per second
//       = (distinct events - 1) / (last consumed - first consumed); also printed: events / (last
//       consumed - brokers up), which counts the reconnection.
//   (b) lag: individuals are created at a fixed --rate for --seconds by --clients paced keep-alive
//       connections while the brokers run; lag = consume time - the event's eventTime (from the
//       record's JSON value), p50/p99/max over the first copy of every eventId.
//
// Duplicates are records whose eventId header was read before. Each run starts a fresh mock
// cluster and a fresh tmfd (its own folder and database). With --repeat N every figure is the
// median of N runs. Usually run through bench/kafka_bench.sh; see bench/README.md.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "bench_load.hpp"
#include "callback_receiver.hpp"  // parse_utc_timestamp
#include "http_client.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using namespace tmfd::bench;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using WallClock = std::chrono::system_clock;

namespace {

const std::string kTopic = "tmfd.events";  // the plugin's default topic: no routing configured

struct Options {
  std::size_t events = 100000;  // (a) backlog size
  double rate = 5000;           // (b) creations per second
  double seconds = 10;          // (b) duration of the paced creation
  std::size_t clients = 32;     // concurrent keep-alive POST connections
  int repeat = 1;
  int tmfd_threads = 2;
  int brokers = 3;              // mock brokers
  int partitions = 6;           // partitions of the topic
  int replication = 3;          // its replication factor
  long batch_size = -1;         // plugins.kafka.batch_size (-1: the plugin's default)
  long linger_ms = -1;          // plugins.kafka.linger_ms (-1: the plugin's default)
  double timeout = 900;         // seconds allowed for a backlog to be created or consumed
  bool skip_throughput = false;
  bool skip_lag = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "kafka_bench: %s\n"
               "usage: tmfd_kafka_bench [--events N] [--rate R] [--seconds S] [--clients C] [--repeat K]\n"
               "         [--tmfd-threads T] [--brokers B] [--partitions P] [--replication F]\n"
               "         [--batch-size N] [--linger-ms MS] [--timeout SECONDS] [--no-throughput] [--no-lag]\n",
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
    auto number = [&](const std::string& v, double min) {
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (!end || *end || !(d >= min)) usage((a + " needs a number of at least " + std::to_string(min)).c_str());
      return d;
    };
    if (a == "--events") o.events = static_cast<std::size_t>(number(value(), 2));
    else if (a == "--rate") o.rate = number(value(), 1);
    else if (a == "--seconds") o.seconds = number(value(), 0.1);
    else if (a == "--clients") o.clients = static_cast<std::size_t>(number(value(), 1));
    else if (a == "--repeat") o.repeat = static_cast<int>(number(value(), 1));
    else if (a == "--tmfd-threads") o.tmfd_threads = static_cast<int>(number(value(), 1));
    else if (a == "--brokers") o.brokers = static_cast<int>(number(value(), 1));
    else if (a == "--partitions") o.partitions = static_cast<int>(number(value(), 1));
    else if (a == "--replication") o.replication = static_cast<int>(number(value(), 1));
    else if (a == "--batch-size") o.batch_size = static_cast<long>(number(value(), 1));
    else if (a == "--linger-ms") o.linger_ms = static_cast<long>(number(value(), 0));
    else if (a == "--timeout") o.timeout = number(value(), 1);
    else if (a == "--no-throughput") o.skip_throughput = true;
    else if (a == "--no-lag") o.skip_lag = true;
    else if (a == "--help" || a == "-h") usage("help");
    else usage(("unknown argument " + a).c_str());
  }
  if (o.replication > o.brokers) usage("--replication cannot exceed --brokers");
  return o;
}

// CPU seconds (user + system) a process used so far; -1 when /proc cannot tell.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return -1;
  const auto paren = line.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(line.substr(paren + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  // Fields after the command: state(3) ... utime(14) stime(15).
  for (int n = 3; n <= 15 && fields >> f; ++n) {
    if (n == 14) utime = std::strtoull(f.c_str(), nullptr, 10);
    if (n == 15) stime = std::strtoull(f.c_str(), nullptr, 10);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// librdkafka's log lines (connection failures while the brokers are down) are not the output.
void quiet_log(const rd_kafka_t*, int, const char*, const char*) {}

void set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  std::array<char, 256> err{};
  if (rd_kafka_conf_set(conf, name, value.c_str(), err.data(), err.size()) != RD_KAFKA_CONF_OK)
    throw std::runtime_error(std::string("librdkafka refused ") + name + ": " + err.data());
}

// A mock cluster of `brokers` brokers on localhost with one topic, for as long as the object lives.
class MockKafka {
public:
  MockKafka(int brokers, int partitions, int replication) : brokers_(brokers) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set_log_cb(conf, &quiet_log);
    std::array<char, 256> err{};
    handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err.data(), err.size());
    if (!handle_) throw std::runtime_error(std::string("cannot create the mock cluster's handle: ") + err.data());
    cluster_ = rd_kafka_mock_cluster_new(handle_, brokers);
    if (!cluster_) {
      rd_kafka_destroy(handle_);
      throw std::runtime_error("cannot create the mock cluster");
    }
    bootstraps_ = rd_kafka_mock_cluster_bootstraps(cluster_);
    if (rd_kafka_mock_topic_create(cluster_, kTopic.c_str(), partitions, replication) != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw std::runtime_error("cannot create the topic " + kTopic);
  }
  ~MockKafka() {
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(handle_);
  }
  MockKafka(const MockKafka&) = delete;
  MockKafka& operator=(const MockKafka&) = delete;

  const std::string& bootstraps() const { return bootstraps_; }

  // Every broker closes its connections and refuses new ones (down), or accepts them again.
  void set_all_brokers(bool up) {
    for (int id = 1; id <= brokers_; ++id) {
      const rd_kafka_resp_err_t err =
          up ? rd_kafka_mock_broker_set_up(cluster_, id) : rd_kafka_mock_broker_set_down(cluster_, id);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw std::runtime_error("cannot set broker " + std::to_string(id) + (up ? " up" : " down"));
    }
  }

private:
  int brokers_;
  rd_kafka_t* handle_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstraps_;
};

// One record as the consumer read it: the first copy of its eventId, or a duplicate.
struct Consumed {
  Clock::time_point at;
  WallClock::time_point wall_at;
  std::string event_time;  // the value's eventTime (only when asked for)
};

// A consumer thread reading every partition of the topic from the beginning (assigned, no group
// management), keeping the first copy of every eventId and counting the other copies.
class Consumer {
public:
  Consumer(const MockKafka& kafka, int partitions, bool keep_event_time) : keep_event_time_(keep_event_time) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    try {
      set(conf, "bootstrap.servers", kafka.bootstraps());
      set(conf, "group.id", "kafka-bench-reader");
      set(conf, "enable.auto.commit", "false");
      set(conf, "reconnect.backoff.ms", "20");
      set(conf, "reconnect.backoff.max.ms", "200");
      // A fetch returns as soon as a record is there; without one, at most 10 ms later.
      set(conf, "fetch.wait.max.ms", "10");
      // The mock cluster keeps only the last 5 MB of each partition (librdkafka's mock log limit):
      // a consumer that falls further behind finds its position gone. Told as an error, not
      // skipped silently to the end (the default, which then waits for records that never come).
      set(conf, "auto.offset.reset", "error");
    } catch (...) {
      rd_kafka_conf_destroy(conf);
      throw;
    }
    rd_kafka_conf_set_log_cb(conf, &quiet_log);
    std::array<char, 256> err{};
    rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err.data(), err.size());
    if (!rk_) throw std::runtime_error(std::string("cannot create the consumer: ") + err.data());
    rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p)
      rd_kafka_topic_partition_list_add(parts, kTopic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    const rd_kafka_resp_err_t assigned = rd_kafka_assign(rk_, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    if (assigned != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_destroy(rk_);
      throw std::runtime_error("cannot assign the partitions");
    }
    thread_ = std::thread([this] { loop(); });
  }
  ~Consumer() {
    stop_ = true;
    thread_.join();
    rd_kafka_consumer_close(rk_);
    rd_kafka_destroy(rk_);
  }
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  std::size_t distinct() const { return distinct_.load(); }
  // Records the mock cluster dropped before this consumer read them (see auto.offset.reset).
  bool fell_behind() const { return fell_behind_.load(); }

  // When a backlog is not read in full: per partition, the records read (copies included) and the
  // offsets the cluster keeps (first..end), so that a record missing from the topic tells itself
  // apart from a consumer that stopped reading.
  std::string partition_report(int partitions) const {
    std::string out;
    for (int p = 0; p < partitions; ++p) {
      std::int64_t low = -1, high = -1;
      const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(rk_, kTopic.c_str(), p, &low, &high, 5000);
      std::lock_guard lock(mutex_);
      const auto read = p < static_cast<int>(read_per_partition_.size()) ? read_per_partition_[p] : 0;
      out += "   partition " + std::to_string(p) + ": read " + std::to_string(read) + ", kept by the cluster " +
             (err ? std::string(rd_kafka_err2name(err)) : std::to_string(low) + ".." + std::to_string(high)) + "\n";
    }
    return out;
  }

  // Waits until `n` distinct events were read or `deadline` passed; returns whether they were.
  bool wait_distinct(std::size_t n, Clock::time_point deadline) const {
    while (distinct() < n) {
      if (Clock::now() >= deadline || fell_behind()) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  // A copy of what was read so far: first copies in the order read, and the duplicate count.
  std::pair<std::vector<Consumed>, std::size_t> snapshot() const {
    std::lock_guard lock(mutex_);
    return {firsts_, duplicates_};
  }

private:
  void loop() {
    while (!stop_) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, 50);
      if (!m) continue;
      if (!m->err) take(*m);
      if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) fell_behind_ = true;
      rd_kafka_message_destroy(m);
    }
  }

  void take(const rd_kafka_message_t& m) {
    Consumed c;
    c.at = Clock::now();
    c.wall_at = WallClock::now();
    std::string event_id;
    rd_kafka_headers_t* headers = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    if (rd_kafka_message_headers(&m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        rd_kafka_header_get_last(headers, "eventId", &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR && value)
      event_id.assign(static_cast<const char*>(value), size);
    if (keep_event_time_ && m.payload) {
      // The TMF event's "eventTime":"...": a string search, not a JSON parse, to keep up.
      static const std::string kKey = "\"eventTime\":\"";
      const std::string_view text(static_cast<const char*>(m.payload), m.len);
      const auto at = text.find(kKey);
      if (at != std::string_view::npos) {
        const auto begin = at + kKey.size();
        const auto end = text.find('"', begin);
        if (end != std::string_view::npos) c.event_time.assign(text.substr(begin, end - begin));
      }
    }
    std::lock_guard lock(mutex_);
    if (m.partition >= 0) {
      if (static_cast<std::size_t>(m.partition) >= read_per_partition_.size()) read_per_partition_.resize(m.partition + 1);
      ++read_per_partition_[m.partition];
    }
    if (!seen_.insert(std::move(event_id)).second) {
      ++duplicates_;
      return;
    }
    firsts_.push_back(std::move(c));
    distinct_ = firsts_.size();
  }

  bool keep_event_time_;
  rd_kafka_t* rk_ = nullptr;
  std::atomic<bool> stop_{false};
  std::atomic<bool> fell_behind_{false};
  std::atomic<std::size_t> distinct_{0};
  mutable std::mutex mutex_;
  std::unordered_set<std::string> seen_;
  std::vector<Consumed> firsts_;
  std::size_t duplicates_ = 0;
  std::vector<std::size_t> read_per_partition_;
  std::thread thread_;
};

std::string yaml(const Options& o, const std::string& brokers) {
  std::string y = "server:\n  host: 127.0.0.1\n  port: 0\n  threads: " + std::to_string(o.tmfd_threads) +
                  "\n  shutdown_grace_ms: 2000\n"
                  "storage:\n  path: $DIR/tmfd.db\n"
                  "logging:\n  level: warning\n  access_log: false\n"
                  "plugins:\n  directory: " TMFD_PLUGIN_DIR "\n"
                  "  kafka:\n    enabled: true\n    brokers: \"" + brokers + "\"\n"
                  "    start_from: earliest\n";
  if (o.batch_size > 0) y += "    batch_size: " + std::to_string(o.batch_size) + "\n";
  if (o.linger_ms >= 0) y += "    linger_ms: " + std::to_string(o.linger_ms) + "\n";
  // Reconnect soon after the brokers come back (librdkafka's default backs off up to 10 s); the
  // figures do not depend on it once connected.
  y += "    properties:\n      reconnect.backoff.ms: \"50\"\n      reconnect.backoff.max.ms: \"500\"\n"
       "modules:\n  party:\n    enabled: true\n";
  return y;
}

Clock::time_point after(double seconds) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

double seconds_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

struct ThroughputResult {
  bool ok = false;
  std::size_t events = 0, duplicates = 0;
  double seconds = 0, rate = 0;          // first to last consumed
  double since_up = 0, rate_since_up = 0;  // brokers up to last consumed
  double create_rate = 0, tmfd_cpu = -1;   // tmfd's CPU use during the drain, in cores
  double bench_cpu = -1;                   // this process's (mock brokers, consumer), in cores
};

ThroughputResult run_throughput(const Options& o) {
  ThroughputResult res;
  MockKafka kafka(o.brokers, o.partitions, o.replication);
  TmfdOptions to;
  to.full_yaml = yaml(o, kafka.bootstraps());
  TmfdProcess tmfd(to);
  Consumer consumer(kafka, o.partitions, false);

  kafka.set_all_brokers(false);
  const auto c0 = Clock::now();
  auto [created, failed] = create_individuals(tmfd.port(), o.clients, o.events, 0, 0);
  res.create_rate = static_cast<double>(created) / seconds_between(c0, Clock::now());
  if (failed != 0 || created != o.events) {
    std::fprintf(stderr, "kafka_bench: %zu of %zu creations failed\n", failed, o.events);
    return res;
  }
  if (consumer.distinct() > 0)
    std::printf("   note: %zu events were consumed before the brokers went down\n", consumer.distinct());

  const double cpu0 = cpu_seconds(tmfd.pid()), self0 = cpu_seconds(getpid());
  const auto up = Clock::now();
  kafka.set_all_brokers(true);
  if (!consumer.wait_distinct(o.events, after(o.timeout))) {
    std::fprintf(stderr, "kafka_bench: only %zu of %zu events consumed within %.0f s\n%s%s", consumer.distinct(), o.events,
                 o.timeout, consumer.partition_report(o.partitions).c_str(),
                 consumer.fell_behind() ? "   the consumer fell more than 5 MB behind on a partition and the mock cluster"
                                          " dropped what it had not read (its log limit): use more --partitions\n"
                                        : "");
    return res;
  }
  const auto done = Clock::now();
  const double cpu1 = cpu_seconds(tmfd.pid()), self1 = cpu_seconds(getpid());
  // Duplicates may still be on the way when the last distinct event arrives: a short grace.
  std::this_thread::sleep_for(300ms);
  const auto [firsts, duplicates] = consumer.snapshot();
  auto first = firsts.front().at, last = firsts.front().at;
  for (const auto& c : firsts) {
    first = std::min(first, c.at);
    last = std::max(last, c.at);
  }
  res.events = firsts.size();
  res.duplicates = duplicates;
  res.seconds = seconds_between(first, last);
  res.rate = res.seconds > 0 ? static_cast<double>(res.events - 1) / res.seconds : 0;
  res.since_up = seconds_between(up, last);
  res.rate_since_up = res.since_up > 0 ? static_cast<double>(res.events) / res.since_up : 0;
  if (cpu0 >= 0 && cpu1 >= 0) res.tmfd_cpu = (cpu1 - cpu0) / seconds_between(up, done);
  if (self0 >= 0 && self1 >= 0) res.bench_cpu = (self1 - self0) / seconds_between(up, done);
  res.ok = true;
  return res;
}

struct LagResult {
  bool ok = false;
  std::size_t events = 0, duplicates = 0;
  double create_rate = 0, p50 = 0, p99 = 0, max = 0, tmfd_cpu = -1;
};

LagResult run_lag(const Options& o) {
  LagResult res;
  MockKafka kafka(o.brokers, o.partitions, o.replication);
  TmfdOptions to;
  to.full_yaml = yaml(o, kafka.bootstraps());
  TmfdProcess tmfd(to);
  Consumer consumer(kafka, o.partitions, true);

  // Warm-up: the producer and the consumer connected, one event through; not counted.
  auto [warm, warm_failed] = create_individuals(tmfd.port(), 1, 1, 0, 0);
  if (warm != 1 || warm_failed != 0 || !consumer.wait_distinct(1, after(60))) {
    std::fprintf(stderr, "kafka_bench: the warm-up event did not arrive within 60 s\n");
    return res;
  }
  const std::size_t warm_up = consumer.distinct();

  const double cpu0 = cpu_seconds(tmfd.pid());
  const auto c0 = Clock::now();
  auto [created, failed] = create_individuals(tmfd.port(), o.clients, 0, o.rate, o.seconds);
  const double create_s = seconds_between(c0, Clock::now());
  const double cpu1 = cpu_seconds(tmfd.pid());
  res.create_rate = static_cast<double>(created) / create_s;
  if (cpu0 >= 0 && cpu1 >= 0) res.tmfd_cpu = (cpu1 - cpu0) / create_s;
  if (failed != 0) {
    std::fprintf(stderr, "kafka_bench: %zu creations failed\n", failed);
    return res;
  }
  if (!consumer.wait_distinct(warm_up + created, after(o.timeout))) {
    std::fprintf(stderr, "kafka_bench: only %zu of %zu events consumed within %.0f s\n", consumer.distinct() - warm_up,
                 created, o.timeout);
    return res;
  }
  std::this_thread::sleep_for(300ms);
  const auto [firsts, duplicates] = consumer.snapshot();
  std::vector<double> lags;
  lags.reserve(firsts.size());
  for (std::size_t i = warm_up; i < firsts.size(); ++i) {
    auto t = parse_utc_timestamp(firsts[i].event_time);
    if (!t) {
      std::fprintf(stderr, "kafka_bench: a record without a readable eventTime ('%s')\n", firsts[i].event_time.c_str());
      return res;
    }
    lags.push_back(std::chrono::duration<double, std::milli>(firsts[i].wall_at - *t).count());
  }
  std::sort(lags.begin(), lags.end());
  res.events = lags.size();
  res.duplicates = duplicates;
  res.p50 = percentile(lags, 50);
  res.p99 = percentile(lags, 99);
  res.max = lags.back();
  res.ok = true;
  return res;
}

std::string setting(long value) { return value < 0 ? "default" : std::to_string(value); }

} // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::printf("kafka_bench: %u CPU(s), load %s; tmfd %s, server.threads %d; mock cluster of %d broker(s), topic %s"
              " with %d partition(s), replication %d; plugins.kafka batch_size %s, linger_ms %s\n",
              std::thread::hardware_concurrency(), load_average().c_str(), TMFD_BINARY, o.tmfd_threads, o.brokers,
              kTopic.c_str(), o.partitions, o.replication, setting(o.batch_size).c_str(), setting(o.linger_ms).c_str());
  std::fflush(stdout);

  std::vector<double> tput, tput_up, create_rates, drain_cpu, p50s, p99s, maxes, lag_rates, lag_cpu;
  bool all_ok = true;
  try {
    for (int run = 1; run <= o.repeat; ++run) {
      if (!o.skip_throughput) {
        std::printf("== run %d/%d: throughput: backlog of %zu events made with every broker down, then the brokers"
                    " come up\n",
                    run, o.repeat, o.events);
        std::fflush(stdout);
        auto t = run_throughput(o);
        if (!t.ok) {
          all_ok = false;
        } else {
          tput.push_back(t.rate);
          tput_up.push_back(t.rate_since_up);
          create_rates.push_back(t.create_rate);
          drain_cpu.push_back(t.tmfd_cpu);
          std::printf("   %zu events in %.2f s (first to last consumed): %.0f events/s; %.2f s from brokers up to the"
                      " last (%.0f/s); %zu duplicate(s); while draining tmfd used %.2f core(s), the benchmark (mock"
                      " brokers, consumer) %.2f; backlog created at %.0f/s (load %s)\n",
                      t.events, t.seconds, t.rate, t.since_up, t.rate_since_up, t.duplicates, t.tmfd_cpu,
                      t.bench_cpu, t.create_rate, load_average().c_str());
        }
        std::fflush(stdout);
      }
      if (!o.skip_lag) {
        std::printf("== run %d/%d: lag: creations at %.0f/s for %.0f s, brokers up\n", run, o.repeat, o.rate, o.seconds);
        std::fflush(stdout);
        auto l = run_lag(o);
        if (!l.ok) {
          all_ok = false;
        } else {
          p50s.push_back(l.p50);
          p99s.push_back(l.p99);
          maxes.push_back(l.max);
          lag_rates.push_back(l.create_rate);
          lag_cpu.push_back(l.tmfd_cpu);
          std::printf("   %zu events, created at %.0f/s; lag p50 %.1f ms, p99 %.1f ms, max %.1f ms; %zu duplicate(s);"
                      " tmfd used %.2f core(s) (load %s)\n",
                      l.events, l.create_rate, l.p50, l.p99, l.max, l.duplicates, l.tmfd_cpu, load_average().c_str());
          if (l.create_rate < 0.95 * o.rate)
            std::printf("   note: the clients did not keep the asked rate (%.0f/s of %.0f/s): POSTs were slower than"
                        " the pace\n",
                        l.create_rate, o.rate);
        }
        std::fflush(stdout);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kafka_bench: %s\n", e.what());
    return 2;
  }

  std::printf("\nkafka benchmark summary (%d run(s), medians), load %s\n", o.repeat, load_average().c_str());
  if (!tput.empty())
    std::printf("  throughput: %.0f events/s published and consumed (first to last consumed; %.0f/s from brokers up),"
                " draining a backlog of %zu (created at %.0f/s); tmfd %.2f core(s); target 50000/s: %s\n",
                median(tput), median(tput_up), o.events, median(create_rates), median(drain_cpu),
                median(tput) >= 50000 ? "met" : "MISSED");
  if (!p50s.empty()) {
    std::printf("  lag at %.0f creations/s (achieved %.0f/s): p50 %.1f ms, p99 %.1f ms, max %.1f ms; tmfd %.2f core(s);"
                " target p99 < 100 ms: %s\n",
                o.rate, median(lag_rates), median(p50s), median(p99s), median(maxes), median(lag_cpu),
                median(p99s) < 100 ? "met" : "MISSED");
    std::printf("  note: events are made by POST /tmf-api/party/v4/individual, one per request; on this machine that"
                " path caps the producible rate near 10000/s, so a lag test at 25000/s (half the throughput target)"
                " cannot be driven through the API\n");
  }
  std::printf("RESULT: %s\n", all_ok ? "ran (figures above)" : "FAILED (see the messages above)");
  return all_ok ? 0 : 1;
}
