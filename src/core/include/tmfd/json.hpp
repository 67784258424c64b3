#pragma once
// The JSON library of the SDK is Boost.JSON; this header names it once for every module.
#include <boost/json.hpp>
#include <string>
#include <string_view>

namespace tmfd {
namespace json = boost::json;

// Parses text into an object or throws ApiError 400 naming the problem (malformed JSON, or a
// JSON value that is not an object).
json::object parse_object(std::string_view text);
// Parses text into any JSON value or throws ApiError 400.
json::value parse_value(std::string_view text);

// Returns the value at a dotted path ("a.b.c") inside an object, or nullptr.
const json::value* find_path(const json::object& obj, std::string_view dotted_path);

} // namespace tmfd
