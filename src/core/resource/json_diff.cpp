#include "resource/json_diff.hpp"

namespace tmfd::resource {

void append_pointer_segment(std::string& pointer, std::string_view segment) {
  pointer += '/';
  for (char c : segment) {
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
}

namespace {

void diff_into(json::array& ops, const std::string& path, const json::value& from, const json::value& to) {
  if (from == to) return;
  if (!from.is_object() || !to.is_object()) {
    ops.push_back(json::object{{"op", "replace"}, {"path", path}, {"value", to}});
    return;
  }
  const auto& a = from.get_object();
  const auto& b = to.get_object();
  for (const auto& kv : a) {
    std::string p = path;
    append_pointer_segment(p, kv.key());
    if (auto* other = b.if_contains(kv.key())) diff_into(ops, p, kv.value(), *other);
    else ops.push_back(json::object{{"op", "remove"}, {"path", p}});
  }
  for (const auto& kv : b) {
    if (a.contains(kv.key())) continue;
    std::string p = path;
    append_pointer_segment(p, kv.key());
    ops.push_back(json::object{{"op", "add"}, {"path", p}, {"value", kv.value()}});
  }
}

} // namespace

json::array json_diff(const json::value& from, const json::value& to) {
  json::array ops;
  diff_into(ops, "", from, to);
  return ops;
}

} // namespace tmfd::resource
