// A JSON request body through what the resource engine does with it before it is stored:
// parsing, mandatory and typed attributes, the lifecycle. Whatever is accepted must serialize
// into text the engine can parse back (it is stored as that text).
#include <cstdint>
#include <string>

#include <tmfd/error.hpp>
#include <tmfd/json.hpp>

#include "fuzz_stack.hpp"
#include "resource/rules.hpp"

using namespace tmfd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ResourceKind kind = fuzz::widget_kind();
  const std::string text(reinterpret_cast<const char*>(data), size);
  json::object resource;
  try {
    resource = parse_object(text);
    resource::check_mandatory(kind, resource);
    resource::check_attribute_types(kind, resource);
    resource::apply_lifecycle(kind, resource, nullptr);
  } catch (const ApiError& e) {
    if (e.http_status() < 400 || e.http_status() >= 500) fuzz::fail_input("refusal with a non-4xx status", e.body());
    return 0;
  }
  const std::string stored = json::serialize(resource);
  try {
    parse_object(stored);
  } catch (const ApiError& e) {
    fuzz::fail_input("an accepted body cannot be read back: " + e.body(), stored);
  }
  return 0;
}
