#include "app/app.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fstream>
#include <future>
#include <iostream>
#include <thread>

#include <tmfd/catalog.hpp>
#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "app/api_index.hpp"
#include "app/builtin_routes.hpp"
#include "app/module_context.hpp"
#include "reaction/reaction_service.hpp"
#include "app/settings.hpp"
#include "bus/in_process_bus.hpp"
#include "config/config_loader.hpp"
#include "config/core_schema.hpp"
#include "delivery/callback_policy.hpp"
#include "delivery/delivery_service.hpp"
#include "http/front.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "io/run_guarded.hpp"
#include "observability/health_checks.hpp"
#include "observability/metric_registry.hpp"
#include "observability/metrics.hpp"
#include "plugin/loader.hpp"
#include "resource/engine.hpp"
#include "resource/ids_and_time.hpp"
#include "store/database.hpp"

namespace tmfd::app {

namespace {

struct Loaded {
  std::vector<std::unique_ptr<plugin::LoadedPlugin>> plugins;
  std::vector<json::object> configs;  // same order
  std::vector<std::string> sections;  // same order: "modules" or "plugins"
};

Loaded load_and_validate(const config::ConfigDocument& doc, const Settings& settings) {
  std::vector<std::string> names;
  for (const auto& e : settings.enabled) names.push_back(e.name);
  Loaded l;
  l.plugins = plugin::load_plugins(settings.plugin_directory, names);
  for (auto& p : l.plugins) {
    std::string section;
    for (const auto& e : settings.enabled)
      if (e.name == p->name()) section = e.section;
    l.configs.push_back(doc.validate(section + "." + p->name(), config::module_block_schema(p->module().config_schema())));
    l.sections.push_back(section);
  }
  return l;
}

// What the start would refuse although the schema accepted it, checked before anything starts
// and by --check-config alike: the callback allow list, the CA file, each module's own checks.
// Throws ConfigError "FILE:LINE: key: problem".
void check_beyond_schema(const config::ConfigDocument& doc, const Settings& settings, const Loaded& loaded) {
  auto fail = [&doc](const std::string& message) { throw config::ConfigError(doc.place(message)); };
  try {
    delivery::CallbackPolicy policy(settings.delivery.allowed_callbacks);
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
  if (!settings.delivery.ca_file.empty() && !std::ifstream(settings.delivery.ca_file))
    fail("delivery.ca_file: cannot read '" + settings.delivery.ca_file + "'");
  for (std::size_t i = 0; i < loaded.plugins.size(); ++i) {
    try {
      loaded.plugins[i]->module().check_config(loaded.configs[i]);
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
  }
}

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

// `tmfd import FILE`: loads a catalog document through the same engine rules as importJob.
int import_catalog(resource::Engine& engine, const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "tmfd import: cannot read " << file << "\n";
    return 2;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<ImportEntry> entries;
  try {
    entries = catalog::document_entries(parse_object(text));
  } catch (const ApiError& e) {
    std::cerr << "tmfd import: " << file << ": " << e.detail() << "\n";
    return 2;
  }
  std::promise<ImportOutcome> promise;
  auto future = promise.get_future();
  const auto started = std::chrono::steady_clock::now();
  engine.import(std::move(entries), "import-" + resource::new_uuid(),
                [&promise](ImportOutcome o) { promise.set_value(std::move(o)); });
  ImportOutcome outcome = future.get();
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!outcome.committed) {
    std::cerr << "tmfd import: " << file << ": nothing imported; " << outcome.errors.size() << " entries refused:\n";
    for (const auto& e : outcome.errors) std::cerr << "  " << e << "\n";
    return 1;
  }
  std::cout << "tmfd import: " << file << ": " << outcome.created << " resources imported in " << seconds << " s\n";
  return 0;
}

int serve(const RunOptions& options, const config::ConfigDocument& doc, const Settings& settings) {
  if (!is_loopback(settings.host) && !settings.allow_unauthenticated_remote) {
    std::cerr << doc.file_name() << ": server.host: '" << settings.host
              << "' is not a loopback address and tmfd has no authentication configured; bind to "
                 "127.0.0.1, or set server.allow_unauthenticated_remote: true behind a gateway that "
                 "authenticates\n";
    return 2;
  }
  Loaded loaded = load_and_validate(doc, settings);
  check_beyond_schema(doc, settings, loaded);
  if (options.check_only) {
    std::cout << doc.file_name() << ": configuration is valid";
    for (const auto& p : loaded.plugins) std::cout << "; " << p->name() << " " << p->version();
    std::cout << "\n";
    return 0;
  }

  // The modules' own metrics and health checks, served with the kernel's (and outliving them).
  observability::MetricRegistry module_metrics;
  observability::HealthChecks health_checks;
  observability::Metrics metrics;
  metrics.add_renderer([&module_metrics](std::string& out) { module_metrics.render(out); });
  store::Database db(settings.database, metrics);
  bus::InProcessBus bus(metrics);
  http::Router router(metrics);
  http::FilterChain filters;  // modules add to it while they start; the front seals it
  resource::Engine engine(db, router, settings.engine);
  add_builtin_routes(router, metrics, db, health_checks);
  std::unique_ptr<delivery::DeliveryService> delivery_service;
  try {
    delivery_service = std::make_unique<delivery::DeliveryService>(db, settings.delivery, router, metrics,
                                                                   settings.engine.public_base_url);
  } catch (const std::invalid_argument& e) {
    std::cerr << doc.file_name() << ": " << e.what() << "\n";
    return 2;
  }
  delivery::DeliveryService& delivery = *delivery_service;
  reaction::ReactionService reactions(engine, db, delivery.streams(), router);
  metrics.add_renderer([&reactions](std::string& out) { reactions.render_metrics(out); });

  std::vector<std::size_t> started;
  // A module may keep what its context hands out (resources, routes, bus) until it stops, so the
  // contexts live as long as the modules.
  std::vector<std::unique_ptr<ModuleContextImpl>> contexts;
  auto stop_modules = [&] {
    for (auto it = started.rbegin(); it != started.rend(); ++it) {
      log::info("app", "stopping module", {{"module", loaded.plugins[*it]->name()}});
      loaded.plugins[*it]->module().stop();
    }
    started.clear();
  };
  try {
    for (std::size_t i = 0; i < loaded.plugins.size(); ++i) {
      auto& p = *loaded.plugins[i];
      contexts.push_back(std::make_unique<ModuleContextImpl>(p.name(), loaded.configs[i], engine, router, bus, db, delivery,
                                                          module_metrics, health_checks, reactions, filters));
      p.module().start(*contexts.back());
      started.push_back(i);
      log::info("app", "module started", {{"module", p.name()}, {"version", p.version()}});
    }
  } catch (const std::exception& e) {
    std::cerr << "tmfd: a module failed to start: " << e.what() << "\n";
    stop_modules();
    return 1;
  }

  std::vector<LoadedModule> index_modules;
  for (std::size_t i = 0; i < loaded.plugins.size(); ++i)
    index_modules.push_back({loaded.plugins[i]->name(), loaded.plugins[i]->version(), loaded.sections[i]});
  add_api_index(router, engine, std::move(index_modules), settings.engine.public_base_url);

  // Every API with resource kinds gets its hub, unless a module serves one there itself (TMF688).
  delivery.serve_api_hubs(engine.apis(), [&router](const std::string& path) {
    std::vector<std::pair<std::string, std::string>> params;
    auto match = router.match(http::Method::Post, path, params);
    return match.route != nullptr && match.route->pattern == path;
  });

  bus.start();
  db.start_writer([&bus, &delivery](std::vector<Event>&& events) {
    if (events.empty()) return;
    const auto last = events.back().sequence;
    bus.publish(std::move(events));
    delivery.committed(last);
  });
  // Modules stop first, while the store still takes writes, so that work they have in hand (an
  // import job, say) finishes and records its outcome; then the writer commits what is queued,
  // and the bus delivers what was committed.
  auto shutdown_store = [&] {
    reactions.stop();  // handlers belong to modules: they stop before them
    delivery.stop();
    stop_modules();
    db.stop_writer();
    bus.stop();
  };
  try {
    delivery.start();
  } catch (const std::exception& e) {
    std::cerr << "tmfd: event delivery cannot start (check delivery.ca_file): " << e.what() << "\n";
    shutdown_store();
    return 1;
  }
  try {
    for (std::size_t i = 0; i < loaded.plugins.size(); ++i) loaded.plugins[i]->module().serving(*contexts[i]);
  } catch (const std::exception& e) {
    std::cerr << "tmfd: a module failed to get ready: " << e.what() << "\n";
    shutdown_store();
    return 1;
  }
  if (options.import_file.empty()) reactions.start();
  if (!options.import_file.empty()) {
    int rc = import_catalog(engine, options.import_file);
    shutdown_store();
    return rc;
  }

  boost::asio::io_context ioc(settings.threads);
  http::Front front(router, settings.access_log, filters);
  http::Server server(ioc, settings.limits,
                      [&front](http::Request& r, http::Reply reply) { front.dispatch(r, std::move(reply)); },
                      metrics);
  std::uint16_t port = 0;
  try {
    port = server.listen(settings.host, settings.port);
  } catch (const std::exception& e) {
    std::cerr << "tmfd: cannot listen on " << settings.host << ":" << settings.port << ": " << e.what() << "\n";
    shutdown_store();
    return 1;
  }
  log::info("app", "listening", {{"host", settings.host}, {"port", port}});
  // SIGHUP would otherwise end the process without draining; there is no reload to do.
  boost::asio::signal_set hangups(ioc, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_hangup = [&](const boost::system::error_code& ec, int) {
    if (ec) return;
    log::warn("app", "SIGHUP ignored: tmfd has no configuration reload; restart it to apply changes");
    hangups.async_wait(on_hangup);
  };
  hangups.async_wait(on_hangup);
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log::info("app", "signal received; draining", {{"signal", sig}});
    hangups.cancel();
    drain_then_stop(ioc, server, settings.shutdown_grace_ms);
  });

  if (!options.port_file.empty()) {
    // Written beside, then renamed: a watcher never reads half a number. Written only once the
    // signal handlers are installed: a supervisor that stops tmfd as soon as it listens must get
    // a drain, not the default action of SIGTERM.
    const std::string tmp = options.port_file + ".tmp";
    bool written = static_cast<bool>(std::ofstream(tmp) << port << "\n");
    if (!written || std::rename(tmp.c_str(), options.port_file.c_str()) != 0)
      log::warn("app", "cannot write the port file", {{"file", options.port_file}});
  }

  std::vector<std::thread> threads;
  for (int i = 1; i < settings.threads; ++i) threads.emplace_back([&ioc] { io::run_guarded(ioc, "http"); });
  io::run_guarded(ioc, "http");
  for (auto& t : threads) t.join();

  shutdown_store();
  log::info("app", "stopped");
  return 0;
}

} // namespace

int run(const RunOptions& options) {
  try {
    auto doc = config::ConfigDocument::load_file(options.config_path);
    auto root = doc.validate("", config::core_schema());
    Settings settings = read_settings(root);
    observability::init_logging(settings.logging);
    return serve(options, doc, settings);
  } catch (const config::ConfigError& e) {
    std::cerr << "tmfd: configuration error: " << e.what() << "\n";
    return 2;
  } catch (const plugin::PluginError& e) {
    std::cerr << "tmfd: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "tmfd: " << e.what() << "\n";
    return 1;
  }
}

} // namespace tmfd::app
