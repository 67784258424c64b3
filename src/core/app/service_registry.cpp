#include "app/service_registry.hpp"

namespace tmfd::app {

namespace {

std::string who(const std::string& module) { return module.empty() ? "tmfd" : "module '" + module + "'"; }

} // namespace

void ServiceRegistry::publish(const std::string& module, const std::string& name, std::string_view interface,
                              std::shared_ptr<void> service) {
  std::lock_guard lock(mutex_);
  if (auto it = services_.find(name); it != services_.end())
    throw ServiceError(who(module) + " cannot publish service '" + name + "': " + who(it->second.module) +
                       " published it already");
  services_.emplace(name, Entry{module, std::string(interface), std::move(service)});
}

std::shared_ptr<void> ServiceRegistry::find(const std::string& module, const std::set<std::string>* allowed,
                                            std::string_view name, std::string_view interface, bool required) const {
  std::lock_guard lock(mutex_);
  auto it = services_.find(name);
  if (it == services_.end()) {
    if (!required) return nullptr;
    throw ServiceError(who(module) + " needs service '" + std::string(name) +
                       "', which no module published (is the module that provides it enabled?)");
  }
  const Entry& e = it->second;
  // Only a declared dependency guarantees that the provider started first and stops last.
  if (allowed && e.module != module && !allowed->contains(e.module))
    throw ServiceError(who(module) + " uses service '" + std::string(name) + "' of module '" + e.module +
                       "' but does not depend on it: add \"" + e.module + "\" to its TMFD_PLUGIN dependencies");
  if (e.interface != interface)
    throw ServiceError(who(module) + " asks for service '" + std::string(name) + "' as '" + std::string(interface) +
                       "', but module '" + e.module + "' published it as '" + e.interface +
                       "': rebuild them against the same interface");
  return e.service;
}

void ServiceRegistry::withdraw(const std::string& module) {
  std::lock_guard lock(mutex_);
  std::erase_if(services_, [&module](const auto& kv) { return kv.second.module == module; });
}

void ServiceRegistry::clear() {
  std::lock_guard lock(mutex_);
  services_.clear();
}

} // namespace tmfd::app
