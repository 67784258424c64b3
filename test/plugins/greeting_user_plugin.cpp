// Uses the test Greeter service of the greeter plugin, found by name through the kernel (it links
// no other plugin). With `require: true` it refuses to start without it; otherwise its command
// `tmfd greet NAME` says when no greeter was found. Built twice: as greeting_user, which depends on
// greeter, and as greeting_stranger, which does not (and so may not use it).
#include <iostream>
#include <memory>

#include <tmfd/plugin.hpp>

#include "greeter.hpp"

namespace {

class GreetingUserModule final : public tmfd::Module {
public:
  tmfd::config::Schema config_schema() const override {
    tmfd::config::Field require;
    require.name = "require";
    require.type = tmfd::config::Type::Boolean;
    require.description = "refuse to start without the greeter service";
    require.default_value = false;
    return {require};
  }
  void start(tmfd::ModuleContext& ctx) override {
    using tmfd::test::Greeter;
    greeter_ = ctx.config().at("require").as_bool() ? ctx.services().get<Greeter>(Greeter::kServiceName)
                                                    : ctx.services().find<Greeter>(Greeter::kServiceName);
  }
  void stop() noexcept override { greeter_.reset(); }
  std::vector<tmfd::Command> commands() const override {
    return {{"greet", "NAME", "greet NAME through the greeter service",
             [this](tmfd::ModuleContext&, const std::vector<std::string>& args) {
               if (args.size() != 1) {
                 std::cerr << "tmfd greet: usage: tmfd greet NAME\n";
                 return 2;
               }
               if (!greeter_) {
                 std::cerr << "tmfd greet: no greeter service is published\n";
                 return 3;
               }
               std::cout << greeter_->greet(args[0]) << "\n";
               return 0;
             }}};
  }

private:
  std::shared_ptr<tmfd::test::Greeter> greeter_;
};

} // namespace

#ifdef PLUGIN_DEPENDS
TMFD_PLUGIN(PLUGIN_NAME, "1.0.0", GreetingUserModule, {PLUGIN_DEPENDS, nullptr})
#else
TMFD_PLUGIN(PLUGIN_NAME, "1.0.0", GreetingUserModule, {nullptr})
#endif
