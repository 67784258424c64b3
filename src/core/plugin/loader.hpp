#pragma once
// Loads modules and adapters from shared libraries. Every field of a plugin's descriptor is
// checked before use, each refusal names the plugin and the problem, and the result is ordered
// so that each plugin comes after the plugins it depends on.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <tmfd/plugin.hpp>

namespace tmfd::plugin {

class PluginError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class LoadedPlugin {
public:
  LoadedPlugin(std::string name, std::string path, void* handle, const tmfd_plugin_descriptor* d,
               Module* module);
  ~LoadedPlugin();  // destroys the module, then closes the library
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }
  std::string version() const { return descriptor_->version; }
  const std::vector<std::string>& dependencies() const { return dependencies_; }
  Module& module() { return *module_; }

private:
  std::string name_;
  std::string path_;
  void* handle_;
  const tmfd_plugin_descriptor* descriptor_;
  std::vector<std::string> dependencies_;
  Module* module_ = nullptr;
};

// The library file a plugin name maps to: DIR/tmfd_<name>.so.
std::string library_path(const std::string& directory, const std::string& name);

// Loads each named plugin and returns them in dependency order (dependencies first; otherwise
// the order given). Throws PluginError for: a duplicate name, a missing file, a library that
// cannot be opened, no entry point, a descriptor with another ABI version, size, name or build
// key, a dependency that is not among `names`, a dependency cycle, or a factory that fails.
std::vector<std::unique_ptr<LoadedPlugin>> load_plugins(const std::string& directory,
                                                       const std::vector<std::string>& names);

} // namespace tmfd::plugin
