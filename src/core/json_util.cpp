#include <tmfd/error.hpp>
#include <tmfd/json.hpp>

#include <cmath>

#include "utf8.hpp"

namespace tmfd {

namespace {

// Boost.JSON reads a number beyond double range (1e999) as infinity, which JSON cannot hold:
// stored, it would be unreadable text. Such numbers are refused where the text is parsed.
bool all_numbers_finite(const json::value& v) {
  switch (v.kind()) {
  case json::kind::double_: return std::isfinite(v.get_double());
  case json::kind::array:
    for (const auto& item : v.get_array())
      if (!all_numbers_finite(item)) return false;
    return true;
  case json::kind::object:
    for (const auto& m : v.get_object())
      if (!all_numbers_finite(m.value())) return false;
    return true;
  default: return true;
  }
}

} // namespace

json::value parse_value(std::string_view text) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  json::value v = json::parse(text, ec, {}, options);
  if (ec) throw ApiError::bad_request("malformed JSON: " + ec.message());
  if (!all_numbers_finite(v))
    throw ApiError::bad_request("malformed JSON: a number is beyond the range of a double (about 1.8e308)");
  return v;
}

json::object parse_object(std::string_view text) {
  json::value v = parse_value(text);
  if (!v.is_object()) throw ApiError::bad_request("the request body must be a JSON object");
  return std::move(v.as_object());
}

const json::value* find_path(const json::object& obj, std::string_view dotted_path) {
  const json::object* cur = &obj;
  for (;;) {
    auto dot = dotted_path.find('.');
    auto key = dotted_path.substr(0, dot);
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    if (dot == std::string_view::npos) return &it->value();
    if (!it->value().is_object()) return nullptr;
    cur = &it->value().as_object();
    dotted_path.remove_prefix(dot + 1);
  }
}

std::string error_body(int http_status, const std::string& code, const std::string& reason,
                       const std::string& message) {
  json::object o;
  o["code"] = code;
  o["reason"] = reason;
  // Messages may quote what a client sent (a header, a path): kept valid UTF-8 so the body is JSON.
  if (!message.empty()) o["message"] = utf8::repaired(message);
  o["status"] = std::to_string(http_status);
  o["@type"] = "Error";
  return json::serialize(o);
}

std::string ApiError::body() const { return error_body(http_status_, code_, reason_, message_); }

} // namespace tmfd
