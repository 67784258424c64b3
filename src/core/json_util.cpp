#include <tmfd/error.hpp>
#include <tmfd/json.hpp>

namespace tmfd {

json::value parse_value(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) throw ApiError::bad_request("malformed JSON: " + ec.message());
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
  if (!message.empty()) o["message"] = message;
  o["status"] = std::to_string(http_status);
  o["@type"] = "Error";
  return json::serialize(o);
}

std::string ApiError::body() const { return error_body(http_status_, code_, reason_, message_); }

} // namespace tmfd
