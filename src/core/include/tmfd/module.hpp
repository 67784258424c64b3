#pragma once
// A module (a TMF domain such as party) or an integration plugin: a named unit with its own
// config schema and lifecycle, loaded from a shared library by the plugin loader.
#include <string>
#include <vector>

#include <tmfd/command.hpp>
#include <tmfd/config_schema.hpp>
#include <tmfd/delivery.hpp>
#include <tmfd/event.hpp>
#include <tmfd/health.hpp>
#include <tmfd/http.hpp>
#include <tmfd/http_filter.hpp>
#include <tmfd/json.hpp>
#include <tmfd/metrics.hpp>
#include <tmfd/reactions.hpp>
#include <tmfd/resources.hpp>
#include <tmfd/services.hpp>

namespace tmfd {

// What the kernel gives a module while it starts.
class ModuleContext {
public:
  virtual ~ModuleContext() = default;
  virtual const std::string& module_name() const = 0;
  // The module's block of tmfd.yaml, validated against its schema, defaults applied.
  virtual const json::object& config() const = 0;
  virtual Resources& resources() = 0;
  virtual http::RouteRegistry& routes() = 0;
  virtual EventBus& bus() = 0;
  // Hub subscriptions, for modules that serve hubs of their own (TMF688).
  virtual Hubs& hubs() = 0;
  // A durable consumer of the outbox named `consumer` (unique per process; the name keys its
  // stored cursor). Open it in start(); read it from a thread of the module's own, started in
  // serving() and joined in stop().
  virtual std::unique_ptr<EventStream> open_event_stream(const std::string& consumer, StreamStart first_start) = 0;
  // Applies the module's own schema migrations (SQL, numbered by position from 1) that have not
  // run on this database yet, each in its own transaction; recorded in tmfd_migrations. Tables of
  // declared resource kinds need none: the engine creates and extends them itself.
  virtual void migrate(const std::vector<std::string>& statements) = 0;
  // The module's Prometheus metrics, rendered on /metrics (see tmfd/metrics.hpp).
  virtual metrics::Registry& metrics() = 0;
  // Adds a check to /health/ready (see tmfd/health.hpp). Throws std::invalid_argument when a
  // check of that name exists.
  virtual void add_health_check(HealthCheck check) = 0;

  // --- Stateful modules (tmfd/unit_of_work.hpp, tmfd/reactions.hpp) ---
  // Durable reactions and timer handlers. Add them in start(); the kernel runs them once every
  // module is serving, and stops them before any module stops.
  virtual Reactions& reactions() = 0;

  // --- The HTTP filter chain (tmfd/http_filter.hpp) ---
  // Adds a filter that runs before the handler of every matched route (public routes only when
  // spec.also_public), placed by spec.order. Add filters in start() or serving(): the chain is
  // fixed once the HTTP port opens (std::logic_error after that; std::invalid_argument for a
  // filter without a function or a name).
  virtual void add_filter(http::FilterSpec spec) = 0;

  // --- Module services ------------------------------------------------------------------------
  // Where the module publishes its services and finds those of the modules it depends on (see
  // tmfd/services.hpp). Usable from start() until stop().
  virtual Services& services() = 0;
};

class Module {
public:
  virtual ~Module() = default;
  // The keys the module accepts in its block (besides `enabled`).
  virtual config::Schema config_schema() const { return {}; }
  // Checks what the schema cannot: values a library must accept, names, files the module will
  // read. Throws std::invalid_argument("<section>.<name>.<key>: problem"), which tmfd shows as
  // FILE:LINE: key: problem. Called with the validated block by `tmfd --check-config` and before
  // any module starts, so that a check that passes means a start that does not fail on config.
  virtual void check_config(const json::object& /*config*/) const {}
  // True when, with this (validated) block, the module refuses every request to a route that is
  // not public unless it proves who sends it (an authentication filter, e.g. bearer tokens). tmfd
  // listens beyond the loopback only when a module says so (or server.allow_unauthenticated_remote).
  virtual bool authenticates_requests(const json::object& /*config*/) const { return false; }
  // Declares resource kinds and routes, subscribes to events. May throw to refuse to start.
  virtual void start(ModuleContext& context) = 0;
  // Called in start order once every module started and the store's writer and the bus run,
  // before the HTTP port opens: the place for work that writes (e.g. loading seed data).
  virtual void serving(ModuleContext& /*context*/) {}
  // Called in reverse start order on shutdown, after the HTTP front stopped taking requests.
  virtual void stop() noexcept {}

  // --- Commands -------------------------------------------------------------------------------
  // Subcommands the module adds to the tmfd binary (see tmfd/command.hpp). Asked before the module
  // starts (for --help and to refuse an unknown command early); a command runs once it started.
  virtual std::vector<Command> commands() const { return {}; }
};

} // namespace tmfd
