// Publishes the test Greeter service (greeter.hpp) in start(), unless its block says
// `publish: false`, and a command `tmfd hello` that answers without any service.
#include <iostream>
#include <memory>

#include <tmfd/plugin.hpp>

#include "greeter.hpp"

namespace {

class FriendlyGreeter final : public tmfd::test::Greeter {
public:
  std::string greet(const std::string& name) const override { return "Hello, " + name + "!"; }
};

class GreeterModule final : public tmfd::Module {
public:
  tmfd::config::Schema config_schema() const override {
    tmfd::config::Field publish;
    publish.name = "publish";
    publish.type = tmfd::config::Type::Boolean;
    publish.description = "publish the greeter service";
    publish.default_value = true;
    return {publish};
  }
  void start(tmfd::ModuleContext& ctx) override {
    if (ctx.config().at("publish").as_bool())
      ctx.services().publish<tmfd::test::Greeter>(tmfd::test::Greeter::kServiceName,
                                                  std::make_shared<FriendlyGreeter>());
  }
  std::vector<tmfd::Command> commands() const override {
    // Exit code = the number of arguments, so that a test sees the code come through.
    return {{"hello", "[WORDS...]", "print the words given, exit with their number",
             [](tmfd::ModuleContext& ctx, const std::vector<std::string>& args) {
               std::cout << "hello from " << ctx.module_name() << ":";
               for (const auto& a : args) std::cout << " [" << a << "]";
               std::cout << "\n";
               return static_cast<int>(args.size());
             }}};
  }
};

} // namespace

TMFD_PLUGIN("greeter", "1.0.0", GreeterModule, {nullptr})
