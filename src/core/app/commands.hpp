#pragma once
// The subcommands modules add to tmfd (tmfd/command.hpp): collected from the enabled modules,
// listed by --help, run on a started kernel.
#include <ostream>
#include <string>
#include <vector>

#include <tmfd/command.hpp>

#include "app/kernel.hpp"

namespace tmfd::app {

struct ModuleCommand {
  std::string module;
  Command command;
};

// Every command of these modules, in module order. Throws plugin::PluginError for a name that is
// malformed or declared twice.
std::vector<ModuleCommand> collect_commands(const std::vector<KernelModule>& modules);

// The lines of `tmfd --help` that list them ("  NAME ARGUMENTS  help  (module)").
void print_commands(std::ostream& out, const std::vector<ModuleCommand>& commands);

// Runs `command` with its module's context; an exception is printed and gives exit code 1.
int run_command(Kernel& kernel, const ModuleCommand& command, const std::vector<std::string>& args);

} // namespace tmfd::app
