#pragma once
// The kernel as one object: the store, the event bus, the router, the resource engine, event
// delivery, the modules and the HTTP front, with explicit phases. `tmfd` and the tests that run
// the stack in process both go through it, so both run the same start and stop order:
//
//   Kernel(settings, modules)  opens the store, builds the parts and the built-in routes
//   start()                    modules start in dependency order; the bus, the writer and event
//                              delivery start; modules get ready (serving()) in the same order;
//                              the filter chain is sealed and the HTTP front built
//   run_reactions()            the modules' durable reactions and timers start running
//   listen() / serve()         binds the port; serves HTTP until SIGINT or SIGTERM drains it
//   stop()                     HTTP, reactions and timers, delivery, modules in reverse order (the writer still takes
//                              their writes), then the writer commits what is queued, then the
//                              bus delivers what was committed
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <tmfd/json.hpp>
#include <tmfd/module.hpp>

#include "app/settings.hpp"

namespace tmfd::http {
class Front;
}

namespace tmfd::app {

// A module the kernel runs: one from a plugin (the loader keeps its library) or one a test builds.
struct KernelModule {
  std::string name;
  std::string version;
  std::string section = "modules";        // "modules" or "plugins": where its block is in tmfd.yaml
  Module* module = nullptr;               // must outlive the kernel
  json::object config;                    // its block of tmfd.yaml, validated
  std::vector<std::string> dependencies;  // names of modules listed before it that start first
};

// A phase failed: the message to print after "tmfd: ", and the exit code.
class KernelError : public std::runtime_error {
public:
  KernelError(int exit_code, const std::string& what) : std::runtime_error(what), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

private:
  int exit_code_;
};

class Kernel {
public:
  // `modules` in start order (dependencies first, as the loader orders them). Throws what opening
  // the store throws (a database in use, say), or KernelError 2 for a delivery setting.
  Kernel(const Settings& settings, std::vector<KernelModule> modules);
  ~Kernel();  // stop()
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // Throws KernelError 1 when a module fails to start or to get ready, or delivery cannot
  // start; what started is stopped by then.
  void start();
  // Starts the modules' durable reactions and timers (after start(); tmfd does not for a command).
  void run_reactions();
  // Binds server.host:server.port (unless server.plain_http is false) and server.tls's listener,
  // and returns the first bound port (useful with port 0). Throws KernelError 1.
  std::uint16_t listen();
  // Serves HTTP on this thread and server.threads - 1 more until SIGINT or SIGTERM drains it
  // (SIGHUP reloads the TLS certificates). The port file gets one line per listener. Listens first if listen() was not called. The port file, when
  // named, is written once the signal handlers are installed; they stay installed until the
  // kernel is destroyed, so that another signal during stop() does not cut the drain short.
  void serve(const std::string& port_file = {});
  // Serves HTTP on server.threads threads of the kernel's own, until stop() (for tests).
  void serve_in_background();
  // Idempotent; also run by the destructor.
  void stop();

  // The modules' own view of the kernel, by module name; throws std::out_of_range.
  ModuleContext& context(const std::string& module);
  // The kernel's view of the module services (unrestricted, unlike a module's).
  Services& services();
  // Requests in process, through the front middleware as HTTP requests go. After start().
  http::Front& front();
  Resources& resources();

  struct Parts;

private:
  std::unique_ptr<Parts> p_;
};

} // namespace tmfd::app
