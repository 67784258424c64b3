// order_bench: figures of tmfd's order fulfilment (TMF622 product orders decomposed by the
// ordering module down to the inventories), against the real binary. Not a test: it prints
// figures, and fails (exit 1) when an order did not complete or lacks what it should have made.
//
// Each run starts a fresh tmfd (own folder and database; the catalog document is loaded with
// `tmfd import` before it serves), creates --customers individuals, places one order of each
// offering of the mix to learn what an order makes (service/resource orders, process flows,
// products, services, resources), registers a hub on ProductOrderStateChangeEvent whose callback
// receiver (test/support/callback_receiver.hpp) lives in this process, then posts product orders
// at a fixed --rate for --seconds (open loop: order n is due at start + n/rate, sent by one of
// --clients keep-alive connections). For every order: time from sending its POST to receiving
// its `completed` event (what a client sees, hub delivery included), and, read back at the end,
// completionDate - orderDate (the server's own time). Throughput = completed events per second
// from the first to the last; kept up with when it is at least 95 % of the offered rate. At the end it checks every order is completed, the totals of every
// collection (X-Total-Count) and traces a sample of orders fully (process flow, service order,
// resource order, products, services, resources).
//
// Usually run through bench/order_bench.sh; see bench/README.md.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
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
using SysClock = std::chrono::system_clock;

namespace {

const std::string kOrdering = "/tmf-api/productOrderingManagement/v4";
const std::string kOrders = kOrdering + "/productOrder";
const std::string kIndividuals = "/tmf-api/party/v4/individual";

// The collections an order fills, by list URL.
const std::vector<std::pair<std::string, std::string>> kCollections = {
    {"productOrder", kOrders},
    {"serviceOrder", "/tmf-api/serviceOrdering/v4/serviceOrder"},
    {"resourceOrder", "/tmf-api/resourceOrderingManagement/v4/resourceOrder"},
    {"processFlow", "/tmf-api/processFlowManagement/v4/processFlow"},
    {"product", "/tmf-api/productInventory/v4/product"},
    {"service", "/tmf-api/serviceInventory/v4/service"},
    {"resource", "/tmf-api/resourceInventoryManagement/v4/resource"},
};

// The order mix, by offering: mostly fibre, some mobile, some bundles (fibre + mobile). Never the
// static IP add-on: its plan has a manual step.
const char* offering_of(std::size_t n) {
  switch (n % 10) {
  case 3: return "po-mobile-unlimited";
  case 7: return "po-home-bundle";
  default: return "po-fibre-1g";
  }
}
const std::vector<std::string> kOfferings = {"po-fibre-1g", "po-mobile-unlimited", "po-home-bundle"};

struct Catalog {
  std::string label, document;
};

struct Options {
  std::vector<double> rates{250, 500, 750};
  double seconds = 10;
  std::size_t clients = 64;
  std::size_t customers = 100;
  int repeat = 1;
  int tmfd_threads = 2;
  std::size_t sample = 20;
  double timeout = 120;  // seconds allowed after the last POST for every order to complete
  std::vector<Catalog> catalogs;
  bool print_config = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "order_bench: %s\n"
               "usage: tmfd_order_bench --catalog LABEL=DOCUMENT.json [--catalog LABEL=DOCUMENT.json...]\n"
               "         [--rates R1,R2,...] [--seconds S] [--clients C] [--customers N] [--repeat K]\n"
               "         [--tmfd-threads T] [--sample N] [--timeout SECONDS]\n"
               "       tmfd_order_bench --print-config   (the tmfd configuration it runs, $DIR for the folder)\n",
               why);
  std::exit(2);
}

double positive(const std::string& name, const std::string& v) {
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (!end || *end || !(d > 0)) usage((name + " needs a positive number").c_str());
  return d;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    if (a == "--rates") {
      o.rates.clear();
      std::string list = value();
      for (std::size_t pos = 0; pos <= list.size();) {
        const auto comma = std::min(list.find(',', pos), list.size());
        o.rates.push_back(positive(a, list.substr(pos, comma - pos)));
        pos = comma + 1;
      }
    } else if (a == "--seconds") o.seconds = positive(a, value());
    else if (a == "--clients") o.clients = static_cast<std::size_t>(positive(a, value()));
    else if (a == "--customers") o.customers = static_cast<std::size_t>(positive(a, value()));
    else if (a == "--repeat") o.repeat = static_cast<int>(positive(a, value()));
    else if (a == "--tmfd-threads") o.tmfd_threads = static_cast<int>(positive(a, value()));
    else if (a == "--sample") o.sample = static_cast<std::size_t>(positive(a, value()));
    else if (a == "--timeout") o.timeout = positive(a, value());
    else if (a == "--catalog") {
      const std::string v = value();
      const auto eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size()) usage("--catalog needs LABEL=DOCUMENT.json");
      o.catalogs.push_back({v.substr(0, eq), v.substr(eq + 1)});
    } else if (a == "--print-config") o.print_config = true;
    else if (a == "--help" || a == "-h") usage("help");
    else usage(("unknown argument " + a).c_str());
  }
  if (!o.print_config && o.catalogs.empty()) usage("at least one --catalog is needed");
  return o;
}

// tmfd's configuration: party, catalog (loaded by import, so no demo_catalog key), inventory and
// ordering with the plans of config/tmfd.yaml (every step inline: generate and allocate).
std::string yaml(const Options& o) {
  return "server:\n  host: 127.0.0.1\n  port: 0\n  threads: " + std::to_string(o.tmfd_threads) +
         "\n  shutdown_grace_ms: 2000\n"
         "storage:\n  path: $DIR/tmfd.db\n"
         "logging:\n  level: warning\n  access_log: false\n"
         "plugins:\n  directory: " TMFD_PLUGIN_DIR "\n"
         "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n"
         "modules:\n"
         "  party: {enabled: true}\n"
         "  catalog: {enabled: true}\n"
         "  inventory: {enabled: true}\n"
         "  ordering:\n"
         "    enabled: true\n"
         "    pools:\n"
         "      demo-ipv4: {cidr: 100.64.0.0/10}\n"
         "      demo-msisdn: {first: \"447700000000\", last: \"447700999999\"}\n"
         "    plans:\n"
         "      rs-fibre-access-line:\n"
         "        steps:\n"
         "          assign-line: {executor: generate, characteristic: lineId, pattern: \"FL-{random}\"}\n"
         "      rs-cpe-router:\n"
         "        steps:\n"
         "          assign-router: {executor: generate, characteristic: serialNumber, pattern: \"CPE-{random}\"}\n"
         "      rs-ipv4-address:\n"
         "        steps:\n"
         "          allocate-address: {executor: allocate, pool: demo-ipv4, characteristic: ipAddress}\n"
         "      rs-msisdn:\n"
         "        steps:\n"
         "          allocate-msisdn: {executor: allocate, pool: demo-msisdn, characteristic: msisdn}\n"
         "      rs-sim-card:\n"
         "        steps:\n"
         "          assign-sim: {executor: generate, characteristic: iccid, pattern: \"894400{random}\"}\n";
}

std::string order_body(const std::string& customer, const std::string& offering) {
  return "{\"relatedParty\":[{\"id\":\"" + customer +
         "\",\"role\":\"customer\",\"@referredType\":\"Individual\"}],"
         "\"productOrderItem\":[{\"id\":\"1\",\"action\":\"add\",\"productOffering\":{\"id\":\"" +
         offering + "\"}}]}";
}

std::string text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool is_final(const std::string& state) {
  return state == "completed" || state == "failed" || state == "partial" || state == "cancelled" || state == "rejected";
}

// What the hub told: the first final state of each order and when it arrived.
class CompletionTracker {
public:
  void on_request(const ReceivedRequest& r) {
    json::error_code ec;
    const json::value v = json::parse(r.body, ec);
    if (ec || !v.is_object()) return;
    const auto* event = v.as_object().if_contains("event");
    const auto* order = event && event->is_object() ? event->as_object().if_contains("productOrder") : nullptr;
    if (!order || !order->is_object()) return;
    const std::string state = text(order->as_object(), "state");
    std::lock_guard lock(mutex_);
    ++events_;
    if (!is_final(state)) return;
    finals_.try_emplace(text(order->as_object(), "id"), Final{state, r.received_at});
  }
  struct Final {
    std::string state;
    SysClock::time_point at;
  };
  std::optional<Final> final_of(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = finals_.find(id);
    if (it == finals_.end()) return std::nullopt;
    return it->second;
  }
  std::size_t finals() const {
    std::lock_guard lock(mutex_);
    return finals_.size();
  }
  std::size_t events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Final> finals_;
  std::size_t events_ = 0;
};

struct PlacedOrder {
  std::string id, offering;
  SysClock::time_point sent;
  bool accepted = false;
};

std::size_t total_count(HttpClient& c, const std::string& list) {
  auto r = c.get(list + "?limit=1&fields=id");
  if (r.status != 200) throw std::runtime_error("GET " + list + " answered " + std::to_string(r.status));
  return static_cast<std::size_t>(std::stoull(r.header("x-total-count")));
}

std::map<std::string, std::size_t> totals(HttpClient& c) {
  std::map<std::string, std::size_t> out;
  for (const auto& [name, list] : kCollections) out[name] = total_count(c, list);
  return out;
}

std::string create_customer(HttpClient& c, std::size_t n) {
  auto r = c.request("POST", kIndividuals,
                     "{\"givenName\":\"C" + std::to_string(n) + "\",\"familyName\":\"OrderBench\"}",
                     {{"Content-Type", "application/json"}});
  if (r.status != 201) throw std::runtime_error("creating a customer answered " + std::to_string(r.status) + ": " + r.body);
  return std::string(r.json().as_object().at("id").as_string());
}

std::string order_state(HttpClient& c, const std::string& id) {
  auto r = c.get(kOrders + "/" + id + "?fields=state");
  return r.status == 200 ? text(r.json().as_object(), "state") : std::string();
}

// Places one order and waits (polling GET) until it is final; returns its state.
std::string place_and_wait(HttpClient& c, const std::string& customer, const std::string& offering) {
  auto r = c.request("POST", kOrders, order_body(customer, offering), {{"Content-Type", "application/json"}});
  if (r.status != 201) throw std::runtime_error("POST productOrder (" + offering + ") answered " + std::to_string(r.status) + ": " + r.body);
  const std::string id(r.json().as_object().at("id").as_string());
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  std::string state;
  while (!is_final(state = order_state(c, id)) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  return state;
}

struct RunResult {
  bool ok = false;
  std::size_t posted = 0, refused = 0, completed = 0, events = 0;
  double offered_rate = 0, throughput = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // POST sent -> completed event received (ms)
  double server_p50 = 0, server_p99 = 0;      // orderDate -> completionDate (ms)
  double post_p99 = 0;                        // POST answered (ms)
};

double ms_between(SysClock::time_point a, SysClock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Reads every order back (id, state, orderDate, completionDate), 1000 a page.
std::unordered_map<std::string, std::pair<std::string, double>> read_orders(HttpClient& c) {
  std::unordered_map<std::string, std::pair<std::string, double>> out;
  for (std::size_t offset = 0;; offset += 1000) {
    auto r = c.get(kOrders + "?fields=id,state,orderDate,completionDate&limit=1000&offset=" + std::to_string(offset));
    if (r.status != 200) throw std::runtime_error("listing product orders answered " + std::to_string(r.status));
    const auto page = r.json().as_array();
    for (const auto& v : page) {
      const auto& o = v.as_object();
      double server_ms = -1;
      auto ordered = parse_utc_timestamp(text(o, "orderDate")), done = parse_utc_timestamp(text(o, "completionDate"));
      if (ordered && done) server_ms = ms_between(*ordered, *done);
      out[text(o, "id")] = {text(o, "state"), server_ms};
    }
    if (page.size() < 1000) return out;
  }
}

// Follows one completed order to everything it made; returns what is missing ("" when complete).
std::string trace(HttpClient& c, const std::string& order_id, const std::string& offering) {
  auto flows = c.get(kCollections[3].second + "?relatedEntity.id=" + order_id);
  if (flows.status != 200 || flows.json().as_array().size() != 1) return "no single process flow";
  const auto flow = flows.json().as_array().at(0).as_object();
  if (text(flow, "state") != "completed") return "process flow " + text(flow, "state");
  std::size_t children = 0;
  for (const auto& e : flow.at("relatedEntity").as_array()) {
    const auto& ref = e.as_object();
    const std::string role = text(ref, "role");
    const std::string list = role == "serviceOrder" ? kCollections[1].second : role == "resourceOrder" ? kCollections[2].second : "";
    if (list.empty()) continue;
    auto child = c.get(list + "/" + text(ref, "id"));
    if (child.status != 200) return role + " " + text(ref, "id") + " answered " + std::to_string(child.status);
    if (text(child.json().as_object(), "state") != "completed") return role + " not completed";
    ++children;
  }
  if (children != 2) return "the process flow names " + std::to_string(children) + " of 2 child orders";
  auto products = c.get(kCollections[4].second + "?productOrderItem.productOrderId=" + order_id);
  if (products.status != 200) return "product list answered " + std::to_string(products.status);
  const json::value products_json = products.json();
  const auto& list = products_json.as_array();
  const std::size_t expected = offering == "po-home-bundle" ? 3 : 1;
  if (list.size() != expected) return std::to_string(list.size()) + " product(s), expected " + std::to_string(expected);
  std::size_t resources = 0;
  for (const auto& p : list) {
    const auto& product = p.as_object();
    if (text(product, "status") != "active") return "product " + text(product, "id") + " is " + text(product, "status");
    if (const auto* services = product.if_contains("realizingService"))
      for (const auto& s : services->as_array()) {
        auto service = c.get(kCollections[5].second + "/" + text(s.as_object(), "id"));
        if (service.status != 200) return "service " + text(s.as_object(), "id") + " answered " + std::to_string(service.status);
        // Resources hang from the services (RFS) that support the customer-facing one.
        std::vector<json::object> to_visit{service.json().as_object()};
        while (!to_visit.empty()) {
          const auto svc = std::move(to_visit.back());
          to_visit.pop_back();
          if (const auto* rs = svc.if_contains("supportingResource"))
            for (const auto& r : rs->as_array()) {
              auto res = c.get(kCollections[6].second + "/" + text(r.as_object(), "id"));
              if (res.status != 200) return "resource " + text(r.as_object(), "id") + " answered " + std::to_string(res.status);
              ++resources;
            }
          if (const auto* ss = svc.if_contains("supportingService"))
            for (const auto& s2 : ss->as_array()) {
              auto sub = c.get(kCollections[5].second + "/" + text(s2.as_object(), "id"));
              if (sub.status != 200) return "service " + text(s2.as_object(), "id") + " answered " + std::to_string(sub.status);
              to_visit.push_back(sub.json().as_object());
            }
        }
      }
  }
  if (resources == 0) return "no resource reachable from its products";
  return {};
}

RunResult run_once(const Options& o, const Catalog& catalog, double rate) {
  RunResult res;
  // The catalog goes in with `tmfd import` before tmfd serves (the same engine rules as importJob).
  const std::string dir = make_temp_dir();
  struct Cleanup {
    std::string dir;
    ~Cleanup() { remove_temp_dir(dir); }
  } cleanup{dir};
  const std::string config = replace_dir_placeholder(yaml(o), dir);
  {
    std::FILE* f = std::fopen((dir + "/tmfd.yaml").c_str(), "w");
    if (!f) throw std::runtime_error("cannot write " + dir + "/tmfd.yaml");
    std::fputs(config.c_str(), f);
    std::fclose(f);
  }
  auto [code, out] = run_tmfd("--config " + dir + "/tmfd.yaml import " + catalog.document);
  if (code != 0) throw std::runtime_error("tmfd import " + catalog.document + " failed: " + out);

  TmfdOptions to;
  to.full_yaml = config;
  to.database_path = dir + "/tmfd.db";
  TmfdProcess tmfd(to);
  HttpClient c(tmfd.port());

  std::vector<std::string> customers;
  for (std::size_t i = 0; i < o.customers; ++i) customers.push_back(create_customer(c, i));

  // One order of each offering, one after the other: what each makes, as differences of totals.
  std::map<std::string, std::map<std::string, std::size_t>> makes;
  auto before = totals(c);
  for (const auto& offering : kOfferings) {
    const std::string state = place_and_wait(c, customers[0], offering);
    if (state != "completed") throw std::runtime_error("the calibration order for " + offering + " ended " + (state.empty() ? "nowhere" : state));
    auto after = totals(c);
    for (const auto& [name, n] : after) makes[offering][name] = n - before[name];
    before = std::move(after);
  }
  const auto base = before;

  CompletionTracker tracker;
  CallbackReceiver rx;
  rx.keep_bodies(false);
  rx.set_rule([&tracker](const ReceivedRequest& r) -> std::optional<Answer> {
    tracker.on_request(r);
    return std::nullopt;
  });
  {
    auto r = c.post_json(kOrdering + "/hub", json::object{{"callback", rx.url("/orders")},
                                                          {"query", "eventType=ProductOrderStateChangeEvent"}});
    if (r.status != 201) throw std::runtime_error("hub registration answered " + std::to_string(r.status) + ": " + r.body);
  }

  // Open loop: order n is due at start + n / rate, whatever happened to the others.
  const std::size_t total = static_cast<std::size_t>(rate * o.seconds);
  std::vector<PlacedOrder> placed(total);
  std::vector<double> post_ms(total, 0);
  std::atomic<std::size_t> next{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < o.clients; ++t)
    threads.emplace_back([&] {
      HttpClient client(tmfd.port());
      for (;;) {
        const std::size_t n = next++;
        if (n >= total) return;
        std::this_thread::sleep_until(start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                  std::chrono::duration<double>(static_cast<double>(n) / rate)));
        auto& p = placed[n];
        p.offering = offering_of(n);
        p.sent = SysClock::now();
        try {
          auto r = client.request("POST", kOrders, order_body(customers[n % customers.size()], p.offering),
                                  {{"Content-Type", "application/json"}});
          post_ms[n] = ms_between(p.sent, SysClock::now());
          if (r.status == 201) {
            p.accepted = true;
            p.id = text(r.json().as_object(), "id");
          }
        } catch (const std::exception&) {
        }
      }
    });
  for (auto& t : threads) t.join();
  const double send_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  res.offered_rate = static_cast<double>(total) / send_s;
  for (const auto& p : placed) (p.accepted && !p.id.empty() ? res.posted : res.refused)++;

  // Every accepted order must reach a final state, announced on the hub.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                               std::chrono::duration<double>(o.timeout));
  while (tracker.finals() < res.posted && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  res.events = tracker.events();

  std::vector<double> latencies;
  SysClock::time_point first_done = SysClock::time_point::max(), last_done = SysClock::time_point::min();
  std::size_t not_completed = 0;
  std::string example;
  for (const auto& p : placed) {
    if (!p.accepted || p.id.empty()) continue;
    auto f = tracker.final_of(p.id);
    if (!f || f->state != "completed") {
      if (example.empty()) example = p.id + " (" + p.offering + "): " + (f ? f->state : "no final event");
      ++not_completed;
      continue;
    }
    latencies.push_back(ms_between(p.sent, f->at));
    first_done = std::min(first_done, f->at);
    last_done = std::max(last_done, f->at);
  }
  res.completed = latencies.size();
  std::sort(latencies.begin(), latencies.end());
  res.p50 = percentile(latencies, 50);
  res.p90 = percentile(latencies, 90);
  res.p99 = percentile(latencies, 99);
  res.max = latencies.empty() ? 0 : latencies.back();
  // Completions per second from the first to the last: the offered rate while tmfd keeps up, its
  // capacity when a backlog builds (the last ones come late).
  if (latencies.size() > 1 && last_done > first_done)
    res.throughput = static_cast<double>(latencies.size() - 1) / (ms_between(first_done, last_done) / 1000.0);
  std::sort(post_ms.begin(), post_ms.end());
  res.post_p99 = percentile(post_ms, 99);

  bool ok = res.refused == 0 && not_completed == 0;
  if (res.refused) std::printf("   FAILED: %zu of %zu POSTs were not accepted (201)\n", res.refused, total);
  if (not_completed) std::printf("   FAILED: %zu order(s) not completed within %.0f s, e.g. %s\n", not_completed, o.timeout, example.c_str());

  // The orders as stored: every one completed, and the server's own time.
  const auto stored = read_orders(c);
  std::vector<double> server;
  std::size_t stored_missing = 0;
  for (const auto& p : placed) {
    if (!p.accepted) continue;
    auto it = stored.find(p.id);
    if (it == stored.end() || it->second.first != "completed" || it->second.second < 0) {
      ++stored_missing;
      continue;
    }
    server.push_back(it->second.second);
  }
  std::sort(server.begin(), server.end());
  res.server_p50 = percentile(server, 50);
  res.server_p99 = percentile(server, 99);
  if (stored_missing) {
    std::printf("   FAILED: %zu order(s) not stored as completed with orderDate and completionDate\n", stored_missing);
    ok = false;
  }

  // Totals: what the calibration orders made, times the mix.
  auto expected = base;
  for (const auto& p : placed)
    if (p.accepted)
      for (const auto& [name, n] : makes[p.offering]) expected[name] += n;
  const auto got = totals(c);
  std::string counts;
  for (const auto& [name, n] : got) {
    counts += " " + name + " " + std::to_string(n);
    if (n != expected[name]) {
      std::printf("   FAILED: %s total %zu, expected %zu\n", name.c_str(), n, expected[name]);
      ok = false;
    }
  }
  // A sample traced fully, spread over the run.
  std::size_t traced = 0;
  const std::size_t step = std::max<std::size_t>(1, total / std::max<std::size_t>(1, o.sample));
  for (std::size_t n = 0; n < total && traced < o.sample; n += step) {
    if (!placed[n].accepted) continue;
    ++traced;
    const std::string missing = trace(c, placed[n].id, placed[n].offering);
    if (!missing.empty()) {
      std::printf("   FAILED: order %s (%s): %s\n", placed[n].id.c_str(), placed[n].offering.c_str(), missing.c_str());
      ok = false;
    }
  }
  std::printf("   verified: totals%s; %zu order(s) traced to flow, child orders, products, services, resources\n",
              counts.c_str(), traced);
  res.ok = ok;
  return res;
}

struct Key {
  std::string catalog;
  double rate;
  bool operator<(const Key& k) const { return catalog != k.catalog ? catalog < k.catalog : rate < k.rate; }
};

struct Series {
  std::vector<double> throughput, offered, p50, p99, max, server_p50, server_p99;
};

// Kept up with: completions came at the offered rate (within 5 %).
bool sustained(double throughput, double rate) { return throughput >= 0.95 * rate; }

} // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (o.print_config) {
    std::fputs(yaml(o).c_str(), stdout);
    return 0;
  }
  std::printf("order_bench: %u CPU(s), load %s; tmfd %s, server.threads %d; %zu client connections, %zu customers;"
              " %.0f s per run; mix 80%% po-fibre-1g, 10%% po-mobile-unlimited, 10%% po-home-bundle\n",
              std::thread::hardware_concurrency(), load_average().c_str(), TMFD_BINARY, o.tmfd_threads, o.clients,
              o.customers, o.seconds);
  std::fflush(stdout);

  std::map<Key, Series> series;
  bool all_ok = true;
  try {
    for (int run = 1; run <= o.repeat; ++run)
      for (const auto& catalog : o.catalogs)
        for (const double rate : o.rates) {
          std::printf("== run %d/%d, catalog %s, %.0f orders/s for %.0f s\n", run, o.repeat, catalog.label.c_str(), rate,
                      o.seconds);
          std::fflush(stdout);
          const auto r = run_once(o, catalog, rate);
          all_ok = all_ok && r.ok;
          auto& s = series[{catalog.label, rate}];
          s.throughput.push_back(r.throughput);
          s.offered.push_back(r.offered_rate);
          s.p50.push_back(r.p50);
          s.p99.push_back(r.p99);
          s.max.push_back(r.max);
          s.server_p50.push_back(r.server_p50);
          s.server_p99.push_back(r.server_p99);
          std::printf("   %zu orders sent at %.0f/s (POST p99 %.1f ms), %zu completed: %.0f completed/s%s;"
                      " POST->completed p50 %.1f p90 %.1f p99 %.1f max %.1f ms; server orderDate->completionDate"
                      " p50 %.1f p99 %.1f ms; %zu state events (load %s)\n",
                      r.posted, r.offered_rate, r.post_p99, r.completed, r.throughput,
                      sustained(r.throughput, rate) ? " (kept up)" : " (NOT kept up with)", r.p50, r.p90, r.p99, r.max,
                      r.server_p50, r.server_p99, r.events, load_average().c_str());
          std::fflush(stdout);
        }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "order_bench: %s\n", e.what());
    return 2;
  }

  std::printf("\norder benchmark summary (%d run(s), medians), load %s\n", o.repeat, load_average().c_str());
  std::printf("  %-10s %8s %10s %12s %10s %10s %10s %12s %12s\n", "catalog", "offered", "sent/s", "completed/s",
              "p50 ms", "p99 ms", "max ms", "server p50", "server p99");
  // Per catalog: the most orders completed per second at any offered rate (under overload, what
  // tmfd can do), and the highest offered rate it kept up with.
  std::map<std::string, double> capacity, kept_up;
  for (const auto& [key, s] : series) {
    const double tput = median(s.throughput);
    std::printf("  %-10s %8.0f %10.0f %12.0f %10.1f %10.1f %10.1f %12.1f %12.1f%s\n", key.catalog.c_str(), key.rate,
                median(s.offered), tput, median(s.p50), median(s.p99), median(s.max), median(s.server_p50),
                median(s.server_p99), sustained(tput, key.rate) ? "" : "   not kept up with");
    capacity[key.catalog] = std::max(capacity[key.catalog], tput);
    if (sustained(tput, key.rate)) kept_up[key.catalog] = std::max(kept_up[key.catalog], key.rate);
  }
  const std::string& first = o.catalogs.front().label;
  const double latency_rate = o.rates.front();
  for (const auto& c : o.catalogs) {
    const auto& s = series[{c.label, latency_rate}];
    std::printf("  catalog %s: at most %.0f orders/s completed (target >= 500); highest offered rate kept up with %.0f/s;"
                " p99 POST->completed at %.0f/s %.1f ms (target < 250 ms), server-side p99 %.1f ms\n",
                c.label.c_str(), capacity[c.label], kept_up[c.label], latency_rate, median(s.p99), median(s.server_p99));
  }
  for (std::size_t i = 1; i < o.catalogs.size(); ++i) {
    const auto& label = o.catalogs[i].label;
    auto ratio = [](double a, double b) { return b > 0 ? a / b : 0; };
    const double r_tput = ratio(capacity[label], capacity[first]);
    const double r_p99 = ratio(median(series[{label, latency_rate}].p99), median(series[{first, latency_rate}].p99));
    std::printf("  %s / %s: orders completed per second x%.2f, p99 at %.0f/s x%.2f (target: both within 0.80-1.20)\n",
                label.c_str(), first.c_str(), r_tput, latency_rate, r_p99);
    for (const double rate : o.rates)
      std::printf("    at %.0f/s: completed/s x%.2f, p50 x%.2f, p99 x%.2f, server p99 x%.2f\n", rate,
                  ratio(median(series[{label, rate}].throughput), median(series[{first, rate}].throughput)),
                  ratio(median(series[{label, rate}].p50), median(series[{first, rate}].p50)),
                  ratio(median(series[{label, rate}].p99), median(series[{first, rate}].p99)),
                  ratio(median(series[{label, rate}].server_p99), median(series[{first, rate}].server_p99)));
  }
  std::printf("RESULT: %s\n", all_ok ? "every order completed and verified (figures above)"
                                      : "FAILED: orders missing, not completed or incomplete (see above)");
  return all_ok ? 0 : 1;
}
