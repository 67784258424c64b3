#include "app/commands.hpp"

#include <algorithm>
#include <iostream>

#include "plugin/loader.hpp"

namespace tmfd::app {

namespace {

bool well_formed(const std::string& name) {
  if (name.empty() || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

} // namespace

std::vector<ModuleCommand> collect_commands(const std::vector<KernelModule>& modules) {
  std::vector<ModuleCommand> out;
  for (const auto& m : modules) {
    for (auto& c : m.module->commands()) {
      if (!well_formed(c.name))
        throw plugin::PluginError("plugin '" + m.name + "': command name '" + c.name +
                                  "' is not letters, digits, '-' and '_'");
      if (!c.run) throw plugin::PluginError("plugin '" + m.name + "': command '" + c.name + "' has no handler");
      for (const auto& other : out)
        if (other.command.name == c.name)
          throw plugin::PluginError("plugin '" + m.name + "': command '" + c.name + "' is also added by '" +
                                    other.module + "'");
      out.push_back({m.name, std::move(c)});
    }
  }
  return out;
}

void print_commands(std::ostream& out, const std::vector<ModuleCommand>& commands) {
  std::size_t width = 0;
  auto synopsis = [](const Command& c) { return c.arguments.empty() ? c.name : c.name + " " + c.arguments; };
  for (const auto& c : commands) width = std::max(width, synopsis(c.command).size());
  for (const auto& c : commands) {
    auto s = synopsis(c.command);
    out << "  " << s << std::string(width - s.size() + 2, ' ') << c.command.help << " (" << c.module << ")\n";
  }
}

int run_command(Kernel& kernel, const ModuleCommand& command, const std::vector<std::string>& args) {
  try {
    return command.command.run(kernel.context(command.module), args);
  } catch (const std::exception& e) {
    std::cerr << "tmfd " << command.command.name << ": " << e.what() << "\n";
    return 1;
  }
}

} // namespace tmfd::app
