#pragma once
// The tmfd process: reads the configuration, loads the enabled modules and plugins, opens the
// store, serves HTTP until SIGINT or SIGTERM, then drains and stops everything in reverse order.
#include <string>

namespace tmfd::app {

struct RunOptions {
  std::string config_path = "config/tmfd.yaml";
  bool check_only = false;   // validate configuration and plugins, then exit
  std::string port_file;     // when set, the bound port is written there once serving
  std::string import_file;   // when set, import this catalog document, then exit (no HTTP)
};

// Returns the process exit code. Configuration and plugin errors are printed to stderr.
int run(const RunOptions& options);

} // namespace tmfd::app
