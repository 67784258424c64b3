#include "plugin/loader.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>

namespace tmfd::plugin {

std::string library_path(const std::string& directory, const std::string& name) {
  return directory + "/tmfd_" + name + ".so";
}

LoadedPlugin::LoadedPlugin(std::string name, std::string path, void* handle, const tmfd_plugin_descriptor* d,
                           Module* module)
    : name_(std::move(name)), path_(std::move(path)), handle_(handle), descriptor_(d), module_(module) {
  if (d->dependencies)
    for (auto p = d->dependencies; *p; ++p) dependencies_.emplace_back(*p);
}

LoadedPlugin::~LoadedPlugin() {
  if (module_) descriptor_->destroy(module_);
  if (handle_) dlclose(handle_);
}

namespace {

[[noreturn]] void refuse(const std::string& name, const std::string& problem) {
  throw PluginError("plugin '" + name + "': " + problem);
}

std::unique_ptr<LoadedPlugin> open_one(const std::string& directory, const std::string& name) {
  const auto path = library_path(directory, name);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) refuse(name, "library " + path + " not found");
  // RTLD_NODELETE: a plugin stays mapped until the process exits. Libraries it brings (librdkafka)
  // keep global state and may run threads for a moment after their handles are destroyed; unmapping
  // them under those would crash, and would make their globals look leaked to LeakSanitizer.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    const char* err = dlerror();
    refuse(name, "cannot load " + path + ": " + (err ? err : "unknown error"));
  }
  // From here on the handle must be closed on every refusal.
  auto fail = [&](const std::string& problem) {
    dlclose(handle);
    refuse(name, problem);
  };
  auto entry = reinterpret_cast<tmfd_plugin_entry_fn>(dlsym(handle, "tmfd_plugin_entry"));
  if (!entry) fail(path + " has no tmfd_plugin_entry function: it is not a tmfd plugin");
  const tmfd_plugin_descriptor* d = entry();
  if (!d) fail("tmfd_plugin_entry returned no descriptor");
  if (d->abi_version != TMFD_PLUGIN_ABI_VERSION)
    fail("plugin ABI version " + std::to_string(d->abi_version) + " does not match tmfd's " +
         std::to_string(TMFD_PLUGIN_ABI_VERSION) + "; rebuild the plugin against this tmfd");
  if (d->struct_size != sizeof(tmfd_plugin_descriptor))
    fail("descriptor size " + std::to_string(d->struct_size) + " does not match tmfd's " +
         std::to_string(sizeof(tmfd_plugin_descriptor)));
  if (!d->name || name != d->name)
    fail(path + " declares the name '" + std::string(d->name ? d->name : "") + "'; the file name and the "
         "YAML key must use the same name");
  if (!d->version || !d->build_key || !d->create || !d->destroy) fail("descriptor has empty fields");
  if (std::strcmp(d->build_key, TMFD_BUILD_KEY) != 0)
    fail(std::string("was built for '") + d->build_key + "' but this tmfd is '" + TMFD_BUILD_KEY +
         "'; rebuild the plugin with the same compiler, Boost and tmfd SDK");
  Module* module = d->create();
  if (!module) fail("its factory could not create the module");
  return std::make_unique<LoadedPlugin>(name, path, handle, d, module);
}

} // namespace

std::vector<std::unique_ptr<LoadedPlugin>> load_plugins(const std::string& directory,
                                                       const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (std::find(names.begin(), names.begin() + static_cast<long>(i), names[i]) != names.begin() + static_cast<long>(i))
      refuse(names[i], "enabled twice (a name may appear once across modules and plugins)");

  std::map<std::string, std::unique_ptr<LoadedPlugin>> loaded;
  for (const auto& n : names) loaded.emplace(n, open_one(directory, n));
  for (const auto& [n, p] : loaded)
    for (const auto& dep : p->dependencies())
      if (!loaded.count(dep)) refuse(n, "depends on '" + dep + "', which is not enabled");

  // Depth-first topological order; `names` order breaks ties so start-up order is predictable.
  std::vector<std::unique_ptr<LoadedPlugin>> ordered;
  std::map<std::string, int> mark;  // 1: visiting, 2: done
  std::function<void(const std::string&, std::vector<std::string>&)> visit =
      [&](const std::string& n, std::vector<std::string>& chain) {
        if (mark[n] == 2) return;
        chain.push_back(n);
        if (mark[n] == 1) {
          std::string cycle;
          for (const auto& c : chain) cycle += (cycle.empty() ? "" : " -> ") + c;
          refuse(n, "dependency cycle: " + cycle);
        }
        mark[n] = 1;
        for (const auto& dep : loaded[n]->dependencies()) visit(dep, chain);
        mark[n] = 2;
        chain.pop_back();
        ordered.push_back(std::move(loaded[n]));
      };
  for (const auto& n : names) {
    std::vector<std::string> chain;
    visit(n, chain);
  }
  return ordered;
}

} // namespace tmfd::plugin
