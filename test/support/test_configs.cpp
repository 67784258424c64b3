#include "test_configs.hpp"

namespace tmfd::test {

TmfdOptions with_server_keys(const std::string& keys) {
  std::string y = TmfdProcess::default_yaml("$DIR", true);
  y.insert(y.find("server:\n") + 8, keys);
  TmfdOptions o;
  o.full_yaml = y;
  return o;
}

std::string catalog_yaml(const std::string& dir, bool import_dir, bool export_dir, bool demo) {
  std::string y = "server:\n  host: 127.0.0.1\n  port: 0\n  threads: 2\n"
                  "storage:\n  path: " + dir + "/tmfd.db\n"
                  "logging:\n  level: info\n  access_log: false\n"
                  "plugins:\n  directory: " TMFD_PLUGIN_DIR "\n"
                  "modules:\n  catalog:\n    enabled: true\n";
  if (import_dir) y += "    import_directory: " + dir + "/imp\n";
  if (export_dir) y += "    export_directory: " + dir + "/exp\n";
  if (demo) y += "    demo_catalog: " TMFD_SOURCE_DIR "/config/demo-catalog.json\n";
  return y;
}

TmfdOptions catalog_module_options(bool import_dir, bool export_dir, bool demo) {
  TmfdOptions o;
  o.full_yaml = catalog_yaml("$DIR", import_dir, export_dir, demo);
  return o;
}

} // namespace tmfd::test
