// The registry of module services: found by name and interface string, never by typeid.
#include <catch2/catch.hpp>

#include "app/service_registry.hpp"

using namespace tmfd;
using Catch::Matchers::Contains;

namespace {

struct Counter {
  static constexpr std::string_view kServiceInterface = "test.Counter/1";
  virtual ~Counter() = default;
  virtual int next() = 0;
};
struct CounterV2 {
  static constexpr std::string_view kServiceInterface = "test.Counter/2";
  virtual ~CounterV2() = default;
};
// Counter is not the first base: the registry must store the object as a Counter.
struct Base {
  virtual ~Base() = default;
  int padding = 7;
};
struct MyCounter final : Base, Counter {
  int n = 0;
  int next() override { return ++n; }
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ServiceError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("services: published, found by the modules that depend on the publisher, withdrawn", "[services]") {
  app::ServiceRegistry registry;
  app::ServiceView provider(registry, "provider", std::set<std::string>{});
  app::ServiceView user(registry, "user", std::set<std::string>{"provider"});
  app::ServiceView stranger(registry, "stranger", std::set<std::string>{});
  app::ServiceView kernel(registry, "", std::nullopt);

  CHECK(user.find<Counter>("counter") == nullptr);
  CHECK_THAT(error_of([&] { user.get<Counter>("counter"); }),
             Contains("module 'user' needs service 'counter', which no module published"));

  provider.publish<Counter>("counter", std::make_shared<MyCounter>());
  CHECK(user.get<Counter>("counter")->next() == 1);
  CHECK(kernel.find<Counter>("counter")->next() == 2);
  CHECK_THAT(error_of([&] { stranger.find<Counter>("counter"); }),
             Contains("module 'stranger' uses service 'counter' of module 'provider' but does not depend on it"));
  CHECK_THAT(error_of([&] { user.find<CounterV2>("counter"); }),
             Contains("as 'test.Counter/2', but module 'provider' published it as 'test.Counter/1'"));
  CHECK_THAT(error_of([&] { user.publish<Counter>("counter", std::make_shared<MyCounter>()); }),
             Contains("module 'user' cannot publish service 'counter': module 'provider' published it already"));
  CHECK_THAT(error_of([&] { provider.publish<Counter>("other", nullptr); }), Contains("null"));

  registry.withdraw("provider");
  CHECK(user.find<Counter>("counter") == nullptr);
}
