// JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7396) on a stored resource. The input's first
// line is the resource, the rest the patch (an array is a JSON Patch, an object a merge patch).
// A patch either fails with a 4xx ApiError and leaves the resource as it was, or gives a
// resource that can be stored and read back; it may never build a document far past the
// size limit (the approximate budget) or spend time doing so.
#include <cstdint>
#include <string>

#include <tmfd/error.hpp>
#include <tmfd/json.hpp>

#include "fuzz_stack.hpp"
#include "resource/patch.hpp"

using namespace tmfd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kLimit = 16 * 1024;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  if (newline == std::string::npos) return 0;
  json::object target;
  json::value patch;
  try {
    target = parse_object(input.substr(0, newline));
    patch = parse_value(input.substr(newline + 1));
  } catch (const ApiError&) {
    return 0;
  }
  if (json::serialize(target).size() > kLimit) return 0;
  const json::object before = target;
  try {
    if (patch.is_array()) resource::apply_json_patch(target, patch, kLimit);
    else resource::apply_merge_patch(target, patch);
  } catch (const ApiError& e) {
    if (e.http_status() < 400 || e.http_status() >= 500) fuzz::fail_input("refusal with a non-4xx status", e.body());
    if (target != before) fuzz::fail_input("a refused patch changed the resource", e.body());
    return 0;
  }
  const std::string stored = json::serialize(target);
  if (patch.is_array() && stored.size() > 4 * kLimit) fuzz::fail_input("a JSON Patch grew the resource past its budget", stored);
  try {
    if (patch.is_array()) parse_object(stored);  // a merge patch nests no deeper than its own text
  } catch (const ApiError& e) {
    fuzz::fail_input("a patched resource cannot be read back: " + e.body(), stored);
  }
  return 0;
}
