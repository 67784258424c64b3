// tmfd: the binary. Parses the command line and hands over to the app.
#include <cstring>
#include <iostream>
#include <string>

#include "app/app.hpp"
#include "build_info.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: tmfd [--config FILE] [--check-config] [--port-file FILE] [--version]\n"
         "       tmfd [--config FILE] import CATALOG.json\n"
         "  --config FILE     configuration (default config/tmfd.yaml)\n"
         "  --check-config    validate the configuration and the enabled plugins, then exit\n"
         "  --port-file FILE  write the bound TCP port to FILE once serving (for port 0)\n"
         "  --version         print the version and exit\n"
         "  import FILE       import a catalog document (all or nothing), then exit\n";
}

} // namespace

int main(int argc, char** argv) {
  tmfd::app::RunOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "tmfd: " << name << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--config") options.config_path = value("--config");
    else if (arg == "--check-config") options.check_only = true;
    else if (arg == "import") options.import_file = value("import");
    else if (arg == "--port-file") options.port_file = value("--port-file");
    else if (arg == "--version") {
      std::cout << "tmfd " << tmfd::build_info::version() << " (" << tmfd::build_info::revision() << ")\n";
      return 0;
    } else if (arg == "--help" || arg == "-h") {
      usage(std::cout);
      return 0;
    } else {
      std::cerr << "tmfd: unknown argument '" << arg << "'\n";
      usage(std::cerr);
      return 2;
    }
  }
  return tmfd::app::run(options);
}
