#pragma once
// Small readers of JSON fields that tolerate absence: the module reads its own stored documents
// and clients' bodies the engine has already type-checked.
#include <string>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd::ordering {

inline std::string text_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

inline const json::object* object_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

inline const json::array* array_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

inline std::vector<std::string> texts_at(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* a = array_at(o, key))
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

inline json::array to_array(const std::vector<std::string>& texts) {
  json::array out;
  for (const auto& t : texts) out.emplace_back(t);
  return out;
}

// A TMF entity reference {id, href, name, @referredType} without the empty parts.
inline json::object reference(const std::string& id, const std::string& href, const std::string& name,
                              const std::string& referred_type) {
  json::object ref{{"id", id}};
  if (!href.empty()) ref["href"] = href;
  if (!name.empty()) ref["name"] = name;
  if (!referred_type.empty()) ref["@referredType"] = referred_type;
  return ref;
}

} // namespace tmfd::ordering
