#pragma once
// The JSON library of the SDK is Boost.JSON; this header names it once for every module.
#include <boost/json.hpp>
#include <string>
#include <string_view>

namespace tmfd {
namespace json = boost::json;

// How deeply arrays and objects may nest in a resource (the parser's limit; what a JSON Patch
// may build). Event payloads wrap a resource in two more levels.
inline constexpr std::size_t kMaxJsonDepth = 32;
// Parser options for an event payload: a resource (kMaxJsonDepth) wrapped in its event.
inline json::parse_options event_parse_options() {
  json::parse_options o;
  o.max_depth = kMaxJsonDepth + 4;
  return o;
}

// Parses text into an object or throws ApiError 400 naming the problem (malformed JSON, nesting
// deeper than kMaxJsonDepth, a number beyond double range, or a value that is not an object).
json::object parse_object(std::string_view text);
// Parses text into any JSON value or throws ApiError 400.
json::value parse_value(std::string_view text);

// Returns the value at a dotted path ("a.b.c") inside an object, or nullptr.
const json::value* find_path(const json::object& obj, std::string_view dotted_path);

} // namespace tmfd
