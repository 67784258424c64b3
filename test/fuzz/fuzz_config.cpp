// tmfd.yaml as an operator may write it, wrong in any way: the YAML loader and the validation of
// the core's schema. A mistake is a ConfigError naming the place; anything else escaping is a bug
// (tmfd would stop with an unexplained message instead of FILE:LINE: key: problem).
#include <cstdint>
#include <string>

#include "app/settings.hpp"
#include "config/config_loader.hpp"
#include "config/core_schema.hpp"
#include "fuzz_stack.hpp"

using namespace tmfd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto doc = config::ConfigDocument::load_string(text, "fuzz.yaml");
    auto root = doc.validate("", config::core_schema());
    app::read_settings(root);
  } catch (const config::ConfigError&) {
  } catch (const std::exception& e) {
    fuzz::fail_input(std::string("not a ConfigError: ") + e.what(), text);
  }
  return 0;
}
