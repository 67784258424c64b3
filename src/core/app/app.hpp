#pragma once
// The tmfd process: reads the configuration, loads the enabled modules and plugins, then runs the
// kernel: serves HTTP until SIGINT or SIGTERM, or runs one module command, and stops everything
// in reverse order.
#include <iosfwd>
#include <string>
#include <vector>

namespace tmfd::app {

struct RunOptions {
  std::string config_path = "config/tmfd.yaml";
  bool check_only = false;   // validate configuration and plugins, then exit
  bool help = false;         // print the usage and the enabled modules' commands, then exit
  std::string port_file;     // when set, the bound port is written there once serving
  std::string command;       // a module command to run instead of serving (no HTTP)
  std::vector<std::string> command_args;
};

// The usage text of the binary, without the modules' commands.
void print_usage(std::ostream& out);

// Returns the process exit code. Configuration and plugin errors are printed to stderr.
int run(const RunOptions& options);

} // namespace tmfd::app
