#include "app/app.hpp"

#include <fstream>
#include <iostream>

#include <tmfd/log.hpp>

#include "app/commands.hpp"
#include "app/kernel.hpp"
#include "app/settings.hpp"
#include "config/config_loader.hpp"
#include "config/core_schema.hpp"
#include "delivery/callback_policy.hpp"
#include "http/tls_context.hpp"
#include "observability/logging.hpp"
#include "plugin/loader.hpp"

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
  if (!settings.plain_http && !settings.tls)
    fail("server.plain_http: false leaves no listener; set server.tls.certificate_file, or plain_http: true");
  if (settings.tls) {
    const auto& tls = settings.tls->options;
    if (tls.key_file.empty()) fail("server.tls.key_file: required with certificate_file");
    if (tls.client_certificates != http::ClientCertificates::none && tls.client_ca_file.empty())
      fail("server.tls.client_ca_file: required when client_certificates is optional or require");
    try {
      http::make_server_tls(tls);  // reads every file as the listener will; messages carry no password
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
  for (std::size_t i = 0; i < loaded.plugins.size(); ++i) {
    try {
      loaded.plugins[i]->module().check_config(loaded.configs[i]);
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
  }
}

// What the kernel runs, from what the loader loaded.
std::vector<KernelModule> kernel_modules(const Loaded& loaded) {
  std::vector<KernelModule> out;
  for (std::size_t i = 0; i < loaded.plugins.size(); ++i) {
    auto& p = *loaded.plugins[i];
    out.push_back({p.name(), p.version(), loaded.sections[i], &p.module(), loaded.configs[i], p.dependencies()});
  }
  return out;
}

std::string command_names(const std::vector<ModuleCommand>& commands) {
  std::string names;
  for (const auto& c : commands) names += (names.empty() ? "" : ", ") + c.command.name;
  return names.empty() ? "none (no enabled module adds one)" : names;
}

// Some enabled module authenticates every request to a route that is not public.
bool authenticates(const Loaded& loaded) {
  for (std::size_t i = 0; i < loaded.plugins.size(); ++i)
    if (loaded.plugins[i]->module().authenticates_requests(loaded.configs[i])) return true;
  return false;
}

int serve(const RunOptions& options, const config::ConfigDocument& doc, const Settings& settings) {
  Loaded loaded = load_and_validate(doc, settings);
  check_beyond_schema(doc, settings, loaded);
  // Beyond the loopback only with authentication, or behind a gateway the operator vouches for.
  // A required client certificate does not count: it names the caller, no access rule applies.
  const bool plain_remote = settings.plain_http && !is_loopback(settings.host);
  const bool tls_remote = settings.tls && !is_loopback(settings.tls->host);
  if ((plain_remote || tls_remote) && !settings.allow_unauthenticated_remote && !authenticates(loaded)) {
    const auto& host = plain_remote ? settings.host : settings.tls->host;
    std::cerr << doc.file_name() << ": " << (plain_remote ? "server.host" : "server.tls.host") << ": '" << host
              << "' is not a loopback address and tmfd has no authentication configured; bind to "
                 "127.0.0.1, enable a module that authenticates requests (modules.security), or set "
                 "server.allow_unauthenticated_remote: true behind a gateway that authenticates\n";
    return 2;
  }
  if (options.check_only) {
    std::cout << doc.file_name() << ": configuration is valid";
    for (const auto& p : loaded.plugins) std::cout << "; " << p->name() << " " << p->version();
    std::cout << "\n";
    return 0;
  }

  // The modules outlive the kernel (`loaded` keeps their libraries), which stops them.
  auto modules = kernel_modules(loaded);
  const auto commands = collect_commands(modules);
  const ModuleCommand* command = nullptr;
  if (!options.command.empty()) {
    for (const auto& c : commands)
      if (c.command.name == options.command) command = &c;
    if (!command) {
      std::cerr << "tmfd: unknown command '" << options.command << "'; commands of the enabled modules: "
                << command_names(commands) << " (see tmfd --help)\n";
      return 2;
    }
  }

  Kernel kernel(settings, std::move(modules));
  kernel.start();
  if (command) {
    int rc = run_command(kernel, *command, options.command_args);
    kernel.stop();
    return rc;
  }
  kernel.run_reactions();  // not for a command: it runs no module's work but its own
  kernel.listen();
  kernel.serve(options.port_file);
  kernel.stop();
  log::info("app", "stopped");
  return 0;
}

// `tmfd --help`: the usage, then the commands of the modules the configuration enables (which
// needs the configuration and the plugins; without them, says why none are listed).
int help(const RunOptions& options) {
  print_usage(std::cout);
  try {
    auto doc = config::ConfigDocument::load_file(options.config_path);
    Settings settings = read_settings(doc.validate("", config::core_schema()));
    Loaded loaded = load_and_validate(doc, settings);
    auto commands = collect_commands(kernel_modules(loaded));
    if (commands.empty()) {
      std::cout << "\nThe modules enabled in " << options.config_path << " add no commands.\n";
    } else {
      std::cout << "\nCommands of the modules enabled in " << options.config_path << ":\n";
      print_commands(std::cout, commands);
    }
  } catch (const std::exception& e) {
    std::cout << "\nModule commands are not listed: " << e.what() << "\n";
  }
  return 0;
}

} // namespace

void print_usage(std::ostream& out) {
  out << "usage: tmfd [--config FILE] [--check-config] [--port-file FILE] [--version] [--help]\n"
         "       tmfd [--config FILE] COMMAND [ARGS...]\n"
         "  --config FILE     configuration (default config/tmfd.yaml)\n"
         "  --check-config    validate the configuration and the enabled plugins, then exit\n"
         "  --port-file FILE  write the bound TCP ports to FILE once serving, one a line:\n"
         "                    plain HTTP first, then HTTPS (for port 0)\n"
         "  --version         print the version and exit\n"
         "  --help            print this, with the commands of the enabled modules, and exit\n"
         "  COMMAND ARGS      run a command of an enabled module (no HTTP), then exit\n";
}

int run(const RunOptions& options) {
  if (options.help) return help(options);
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
  } catch (const KernelError& e) {
    std::cerr << "tmfd: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "tmfd: " << e.what() << "\n";
    return 1;
  }
}

} // namespace tmfd::app
