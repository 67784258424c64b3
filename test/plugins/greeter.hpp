#pragma once
// A service interface for the module service tests: the greeter plugin publishes it, the
// greeting_user plugin finds it. Neither links the other; both include this header.
#include <string>
#include <string_view>

namespace tmfd::test {

class Greeter {
public:
  static constexpr std::string_view kServiceInterface = "tmfd.test.Greeter/1";
  static constexpr std::string_view kServiceName = "test.greeter";
  virtual ~Greeter() = default;
  virtual std::string greet(const std::string& name) const = 0;
};

} // namespace tmfd::test
