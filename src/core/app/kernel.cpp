#include "app/kernel.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdio>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include <tmfd/log.hpp>

#include "app/api_index.hpp"
#include "app/builtin_routes.hpp"
#include "app/module_context.hpp"
#include "app/service_registry.hpp"
#include "bus/in_process_bus.hpp"
#include "delivery/delivery_service.hpp"
#include "http/filter_chain.hpp"
#include "http/front.hpp"
#include "http/rate_limit.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "io/run_guarded.hpp"
#include "observability/health_checks.hpp"
#include "observability/metric_registry.hpp"
#include "observability/metrics.hpp"
#include "reaction/reaction_service.hpp"
#include "resource/engine.hpp"
#include "resource/history_routes.hpp"
#include "store/history_pruner.hpp"
#include "store/database.hpp"

namespace tmfd::app {

namespace {

// Stops accepting, waits for the requests in flight (at most the grace period), then stops the
// I/O threads.
void drain_then_stop(boost::asio::io_context& ioc, http::Server& server, std::int64_t grace_ms) {
  server.stop_accepting();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  auto timer = std::make_shared<boost::asio::steady_timer>(ioc);
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [&ioc, &server, deadline, timer, poll] {
    if (server.in_flight() == 0 || std::chrono::steady_clock::now() >= deadline) {
      if (server.in_flight() != 0)
        log::warn("app", "grace period over; closing with requests in flight",
                  {{"in_flight", server.in_flight()}});
      ioc.stop();
      *poll = nullptr;  // break the self-reference
      return;
    }
    timer->expires_after(std::chrono::milliseconds(10));
    timer->async_wait([poll](const boost::system::error_code&) {
      if (*poll) (*poll)();
    });
  };
  (*poll)();
}

// Each module's dependencies, direct or not (modules come dependencies first).
std::vector<std::set<std::string>> transitive_dependencies(const std::vector<KernelModule>& modules) {
  std::vector<std::set<std::string>> out(modules.size());
  for (std::size_t i = 0; i < modules.size(); ++i)
    for (const auto& d : modules[i].dependencies) {
      out[i].insert(d);
      for (std::size_t j = 0; j < i; ++j)
        if (modules[j].name == d) out[i].insert(out[j].begin(), out[j].end());
    }
  return out;
}

} // namespace

// Declared in the order they are built; destroyed in reverse, so each part outlives its users.
struct Kernel::Parts {
  Settings settings;
  std::vector<KernelModule> modules;
  // The modules' own metrics and health checks, served with the kernel's (and outliving them).
  observability::MetricRegistry module_metrics;
  observability::HealthChecks health_checks;
  observability::Metrics metrics;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<bus::InProcessBus> bus;
  std::unique_ptr<http::Router> router;
  std::unique_ptr<resource::Engine> engine;
  std::unique_ptr<delivery::DeliveryService> delivery;
  std::unique_ptr<reaction::ReactionService> reactions;
  std::unique_ptr<store::HistoryPruner> history_pruner;
  http::FilterChain filters;            // modules add to it while they start; the front seals it
  std::unique_ptr<http::Front> front;   // built at the end of start()
  ServiceRegistry services;
  std::unique_ptr<ServiceView> kernel_services;
  // A module may keep what its context hands out (resources, routes, bus) until it stops, so the
  // contexts live as long as the modules.
  std::vector<std::unique_ptr<ModuleContextImpl>> contexts;
  std::vector<std::size_t> started;  // indexes of started modules, in start order
  bool bus_running = false;
  bool writer_running = false;
  bool delivery_running = false;
  std::unique_ptr<boost::asio::io_context> ioc;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;              // the first listener's
  std::vector<std::uint16_t> ports;    // every listener's: plain first, then TLS
  std::vector<std::thread> background;  // serve_in_background()'s I/O threads
  // serve()'s signal handlers. They stay installed until the kernel is destroyed, after stop():
  // a second SIGTERM while the writer drains must not end the process by the default action.
  std::unique_ptr<boost::asio::signal_set> hangups;
  std::function<void(const boost::system::error_code&, int)> on_hangup;
  std::unique_ptr<boost::asio::signal_set> signals;

  void stop_modules() {
    for (auto it = started.rbegin(); it != started.rend(); ++it) {
      const auto& m = modules[*it];
      log::info("app", "stopping module", {{"module", m.name}});
      m.module->stop();
      services.withdraw(m.name);
    }
    started.clear();
  }

  // Modules stop first, while the store still takes writes, so that work they have in hand (an
  // import job, say) finishes and records its outcome; then the writer commits what is queued,
  // and the bus delivers what was committed.
  void shutdown_store() {
    history_pruner->stop();  // its jobs need the writer
    reactions->stop();  // handlers belong to modules: they stop before them
    if (delivery_running) delivery->stop();
    delivery_running = false;
    stop_modules();
    if (writer_running) db->stop_writer();
    writer_running = false;
    if (bus_running) bus->stop();
    bus_running = false;
    services.clear();
  }
};

Kernel::Kernel(const Settings& settings, std::vector<KernelModule> modules) : p_(std::make_unique<Parts>()) {
  auto& p = *p_;
  p.settings = settings;
  p.modules = std::move(modules);
  p.metrics.add_renderer([&p](std::string& out) { p.module_metrics.render(out); });
  p.db = std::make_unique<store::Database>(settings.database, p.metrics);
  p.bus = std::make_unique<bus::InProcessBus>(p.metrics);
  p.router = std::make_unique<http::Router>(p.metrics);
  p.engine = std::make_unique<resource::Engine>(*p.db, *p.router, settings.engine);
  add_builtin_routes(*p.router, p.metrics, *p.db, p.health_checks);
  resource::add_audit_routes(*p.router, *p.engine, *p.db, p.settings.engine);
  p.history_pruner = std::make_unique<store::HistoryPruner>(*p.db, settings.history);
  try {
    p.delivery = std::make_unique<delivery::DeliveryService>(*p.db, settings.delivery, *p.router, p.metrics,
                                                             settings.engine.public_base_url);
  } catch (const std::invalid_argument& e) {
    throw KernelError(2, e.what());
  }
  p.reactions = std::make_unique<reaction::ReactionService>(*p.engine, *p.db, p.delivery->streams(), *p.router);
  p.metrics.add_renderer([&p](std::string& out) { p.reactions->render_metrics(out); });
  p.kernel_services = std::make_unique<ServiceView>(p.services, "", std::nullopt);
  auto dependencies = transitive_dependencies(p.modules);
  for (std::size_t i = 0; i < p.modules.size(); ++i) {
    const auto& m = p.modules[i];
    p.contexts.push_back(std::make_unique<ModuleContextImpl>(m.name, m.config, *p.engine, *p.router, *p.bus, *p.db,
                                                          *p.delivery, p.module_metrics, p.health_checks,
                                                          *p.reactions, p.filters));
    p.contexts.back()->set_services(std::make_unique<ServiceView>(p.services, m.name, std::move(dependencies[i])));
  }
}

Kernel::~Kernel() { stop(); }

void Kernel::start() {
  auto& p = *p_;
  try {
    for (std::size_t i = 0; i < p.modules.size(); ++i) {
      const auto& m = p.modules[i];
      m.module->start(*p.contexts[i]);
      p.started.push_back(i);
      log::info("app", "module started", {{"module", m.name}, {"version", m.version}});
    }
  } catch (const std::exception& e) {
    p.stop_modules();
    throw KernelError(1, std::string("a module failed to start: ") + e.what());
  }

  std::vector<LoadedModule> index_modules;
  for (const auto& m : p.modules) index_modules.push_back({m.name, m.version, m.section});
  add_api_index(*p.router, *p.engine, std::move(index_modules), p.settings.engine.public_base_url);

  // Every API with resource kinds gets its hub, unless a module serves one there itself (TMF688).
  p.delivery->serve_api_hubs(p.engine->apis(), [&p](const std::string& path) {
    std::vector<std::pair<std::string, std::string>> params;
    auto match = p.router->match(http::Method::Post, path, params);
    return match.route != nullptr && match.route->pattern == path;
  });

  p.bus->start();
  p.bus_running = true;
  p.db->start_writer([&p](std::vector<Event>&& events) {
    if (events.empty()) return;
    const auto last = events.back().sequence;
    p.bus->publish(std::move(events));
    p.delivery->committed(last);
  });
  p.writer_running = true;
  p.history_pruner->start();
  try {
    p.delivery_running = true;
    p.delivery->start();
  } catch (const std::exception& e) {
    p.shutdown_store();
    throw KernelError(1, std::string("event delivery cannot start (check delivery.ca_file): ") + e.what());
  }
  try {
    for (std::size_t i = 0; i < p.modules.size(); ++i) p.modules[i].module->serving(*p.contexts[i]);
  } catch (const std::exception& e) {
    p.shutdown_store();
    throw KernelError(1, std::string("a module failed to get ready: ") + e.what());
  }
  // The kernel's own filters; the order in the chain comes from filter_order, not from here.
  const auto& limits = p.settings.rate_limits;
  if (limits.per_address.enabled()) p.filters.add(http::address_rate_limit_filter(limits.per_address, limits.max_keys));
  if (limits.per_principal.enabled())
    p.filters.add(http::principal_rate_limit_filter(limits.per_principal, limits.max_keys));
  p.front = std::make_unique<http::Front>(*p.router, p.settings.access_log, p.filters);
}

void Kernel::run_reactions() {
  try {
    p_->reactions->start();
  } catch (const std::exception& e) {
    p_->shutdown_store();
    throw KernelError(1, std::string("durable reactions cannot start: ") + e.what());
  }
}

std::uint16_t Kernel::listen() {
  auto& p = *p_;
  const auto& s = p.settings;
  p.ioc = std::make_unique<boost::asio::io_context>(s.threads);
  p.server = std::make_unique<http::Server>(
      *p.ioc, s.limits, [&p](http::Request& r, http::Reply reply) { p.front->dispatch(r, std::move(reply)); },
      p.metrics);
  if (s.plain_http) {
    try {
      p.ports.push_back(p.server->listen(s.host, s.port));
    } catch (const std::exception& e) {
      throw KernelError(1, "cannot listen on " + s.host + ":" + std::to_string(s.port) + ": " + e.what());
    }
    log::info("app", "listening", {{"host", s.host}, {"port", p.ports.back()}});
  }
  if (s.tls) {
    try {
      p.ports.push_back(p.server->listen_tls(s.tls->host, s.tls->port, s.tls->options));
    } catch (const std::exception& e) {
      throw KernelError(1, "cannot listen with TLS on " + s.tls->host + ":" + std::to_string(s.tls->port) + ": " + e.what());
    }
    log::info("app", "listening with TLS", {{"host", s.tls->host}, {"port", p.ports.back()}});
  }
  if (p.ports.empty()) throw KernelError(2, "no listener: server.plain_http is false and server.tls has no certificate_file");
  p.port = p.ports.front();
  return p.port;
}

void Kernel::serve(const std::string& port_file) {
  auto& p = *p_;
  if (!p.server) listen();
  auto& ioc = *p.ioc;
  // SIGHUP reloads the TLS certificates (the files named in server.tls; open connections keep
  // theirs). Nothing else is reloaded; without the handler SIGHUP would end the process undrained.
  p.hangups = std::make_unique<boost::asio::signal_set>(ioc, SIGHUP);
  p.on_hangup = [&p](const boost::system::error_code& ec, int) {
    if (ec) return;
    if (p.settings.tls) {
      log::info("app", "SIGHUP: reloading the TLS certificate; the rest of the configuration needs a restart");
      p.server->reload_tls();
    } else {
      log::warn("app", "SIGHUP ignored: tmfd reloads only TLS certificates and has none; restart it to apply changes");
    }
    p.hangups->async_wait(p.on_hangup);
  };
  p.hangups->async_wait(p.on_hangup);
  p.signals = std::make_unique<boost::asio::signal_set>(ioc, SIGINT, SIGTERM);
  p.signals->async_wait([&p](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log::info("app", "signal received; draining", {{"signal", sig}});
    p.hangups->cancel();
    drain_then_stop(*p.ioc, *p.server, p.settings.shutdown_grace_ms);
  });

  if (!port_file.empty()) {
    // Written beside, then renamed: a watcher never reads half a number. Written only once the
    // signal handlers are installed: a supervisor that stops tmfd as soon as it listens must get
    // a drain, not the default action of SIGTERM.
    // One line per listener, plain first: a reader of the first number gets what it always did.
    const std::string tmp = port_file + ".tmp";
    std::string lines;
    for (auto port : p.ports) lines += std::to_string(port) + "\n";
    bool written = static_cast<bool>(std::ofstream(tmp) << lines);
    if (!written || std::rename(tmp.c_str(), port_file.c_str()) != 0)
      log::warn("app", "cannot write the port file", {{"file", port_file}});
  }

  std::vector<std::thread> threads;
  for (int i = 1; i < p.settings.threads; ++i) threads.emplace_back([&ioc] { io::run_guarded(ioc, "http"); });
  io::run_guarded(ioc, "http");
  for (auto& t : threads) t.join();
}

void Kernel::serve_in_background() {
  auto& p = *p_;
  if (!p.server) listen();
  for (int i = 0; i < p.settings.threads; ++i) p.background.emplace_back([&p] { io::run_guarded(*p.ioc, "http"); });
}

void Kernel::stop() {
  if (!p_) return;
  auto& p = *p_;
  if (!p.background.empty()) {
    p.server->stop_accepting();
    p.ioc->stop();
    for (auto& t : p.background) t.join();
    p.background.clear();
  }
  p.shutdown_store();
}

ModuleContext& Kernel::context(const std::string& module) {
  for (std::size_t i = 0; i < p_->modules.size(); ++i)
    if (p_->modules[i].name == module) return *p_->contexts[i];
  throw std::out_of_range("no module '" + module + "' in this kernel");
}

Services& Kernel::services() { return *p_->kernel_services; }
http::Front& Kernel::front() {
  if (!p_->front) throw std::logic_error("the kernel's front is built by start()");
  return *p_->front;
}
Resources& Kernel::resources() { return *p_->engine; }

} // namespace tmfd::app
