#pragma once
// Module services: typed objects one module publishes and others find by name through the
// kernel, so that no plugin links another (a query API, a control point). A service interface is
// an abstract class, in a header both sides include, that names itself and its version:
//
//   class Greeter {
//   public:
//     static constexpr std::string_view kServiceInterface = "example.Greeter/1";
//     virtual ~Greeter() = default;
//     virtual std::string greet(const std::string& name) const = 0;
//   };
//   ctx.services().publish<Greeter>("example.greeter", std::make_shared<MyGreeter>());  // provider
//   auto greeter = ctx.services().get<Greeter>("example.greeter");                      // user
//
// The registry checks the interface string, not typeid: plugins are loaded with RTLD_LOCAL, so
// the type information of one interface may differ between two shared objects. Bump the version
// in the string whenever the interface changes. A module may use only the services of modules it
// depends on (TMFD_PLUGIN's dependencies), which therefore started before it and stop after it.
#include <concepts>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace tmfd {

// A missing service asked for with get(), an interface that does not match, a service of a
// module the caller does not depend on, or a name published twice.
class ServiceError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

template <class T>
concept ServiceInterface = requires {
  { T::kServiceInterface } -> std::convertible_to<std::string_view>;
};

class Services {
public:
  virtual ~Services() = default;

  // Publishes `service` under `name` (unique in the process), as interface T: name T explicitly
  // (publish<Greeter>), so that the object is stored as a T whatever its own class. Published in
  // start(), it stays until the publishing module stopped.
  template <ServiceInterface T>
  void publish(std::string_view name, std::type_identity_t<std::shared_ptr<T>> service) {
    if (!service) throw ServiceError("service '" + std::string(name) + "': nothing to publish (null)");
    publish_any(std::string(name), T::kServiceInterface, std::static_pointer_cast<void>(std::move(service)));
  }

  // The service published under `name`, or null when none is.
  template <ServiceInterface T> std::shared_ptr<T> find(std::string_view name) {
    return std::static_pointer_cast<T>(find_any(name, T::kServiceInterface, false));
  }

  // The service published under `name`; throws ServiceError naming it when none is.
  template <ServiceInterface T> std::shared_ptr<T> get(std::string_view name) {
    return std::static_pointer_cast<T>(find_any(name, T::kServiceInterface, true));
  }

protected:
  virtual void publish_any(const std::string& name, std::string_view interface, std::shared_ptr<void> service) = 0;
  // Throws ServiceError when the service exists with another interface or belongs to a module the
  // caller does not depend on; when it does not exist, throws if `required`, else returns null.
  virtual std::shared_ptr<void> find_any(std::string_view name, std::string_view interface, bool required) = 0;
};

} // namespace tmfd
