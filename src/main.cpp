// tmfd: the binary. Parses the command line and hands over to the app.
#include <cstdlib>
#include <iostream>
#include <string>

#include "app/app.hpp"
#include "build_info.hpp"

int main(int argc, char** argv) {
  tmfd::app::RunOptions options;
  // tmfd's own options are taken wherever they appear (`tmfd import FILE --config X` works); the
  // first other word names a module command, and every word after it is the command's, as is
  // everything after "--".
  bool literal = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "tmfd: " << name << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (literal) options.command_args.push_back(arg);
    else if (arg == "--") literal = !options.command.empty();
    else if (arg == "--config") options.config_path = value("--config");
    else if (arg == "--check-config") options.check_only = true;
    else if (arg == "--port-file") options.port_file = value("--port-file");
    else if (arg == "--version") {
      std::cout << "tmfd " << tmfd::build_info::version() << " (" << tmfd::build_info::revision() << ")\n";
      return 0;
    } else if (arg == "--help" || arg == "-h") options.help = true;
    else if (!options.command.empty()) options.command_args.push_back(arg);
    else if (!arg.empty() && arg[0] != '-') options.command = arg;
    else {
      std::cerr << "tmfd: unknown argument '" << arg << "'\n";
      tmfd::app::print_usage(std::cerr);
      return 2;
    }
  }
  return tmfd::app::run(options);
}
