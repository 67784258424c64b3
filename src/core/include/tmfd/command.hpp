#pragma once
// Subcommands a module adds to the tmfd binary: `tmfd [--config FILE] <name> ARGS...` loads the
// configuration, starts every enabled module and lets them get ready (the store's writer and the
// bus run; no HTTP port is opened), runs the command, then stops everything as on a normal
// shutdown and exits with the command's code. `tmfd --help` lists the commands of the modules
// the configuration enables.
#include <functional>
#include <string>
#include <vector>

namespace tmfd {

class ModuleContext;

struct Command {
  std::string name;       // `tmfd <name>`: letters, digits, '-' and '_'; unique across modules
  std::string arguments;  // what follows the name, for --help, e.g. "FILE"
  std::string help;       // one line for --help
  // Called with the declaring module's context and the arguments after the name (tmfd's own
  // options, such as --config, are taken out wherever they appear). Returns the exit code: by
  // tmfd's convention 0 on success, 2 for bad arguments or input, 1 for other failures. An
  // exception is printed (`tmfd <name>: what`) and exits 1.
  std::function<int(ModuleContext& context, const std::vector<std::string>& args)> run;
};

} // namespace tmfd
