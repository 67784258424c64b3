#pragma once
// The kernel's registry of module services (tmfd/services.hpp): one per process, seen by each
// module through a view that knows which modules it depends on.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <tmfd/services.hpp>

namespace tmfd::app {

class ServiceRegistry {
public:
  // Throws ServiceError when `name` is taken.
  void publish(const std::string& module, const std::string& name, std::string_view interface,
               std::shared_ptr<void> service);
  // `module` asks; when `allowed` is given, only services published by those modules are visible
  // to it (others throw). Otherwise as Services::find_any.
  std::shared_ptr<void> find(const std::string& module, const std::set<std::string>* allowed, std::string_view name,
                             std::string_view interface, bool required) const;
  // Removes what `module` published (it stopped).
  void withdraw(const std::string& module);
  void clear();

private:
  struct Entry {
    std::string module;
    std::string interface;
    std::shared_ptr<void> service;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> services_;
};

// What one module (or the kernel itself, for tests and tools) sees of the registry.
class ServiceView final : public Services {
public:
  // `dependencies`: every module `module` depends on, directly or not; nullopt: no restriction
  // (the kernel's own view).
  ServiceView(ServiceRegistry& registry, std::string module, std::optional<std::set<std::string>> dependencies)
      : registry_(registry), module_(std::move(module)), dependencies_(std::move(dependencies)) {}

protected:
  void publish_any(const std::string& name, std::string_view interface, std::shared_ptr<void> service) override {
    registry_.publish(module_, name, interface, std::move(service));
  }
  std::shared_ptr<void> find_any(std::string_view name, std::string_view interface, bool required) override {
    return registry_.find(module_, dependencies_ ? &*dependencies_ : nullptr, name, interface, required);
  }

private:
  ServiceRegistry& registry_;
  std::string module_;
  std::optional<std::set<std::string>> dependencies_;
};

} // namespace tmfd::app
