#include "references.hpp"

#include <cctype>

#include <tmfd/error.hpp>

namespace tmfd::catalog_module {

namespace {

// The ids `ref` names in `entity` that this tmfd must hold: federated references (an href on
// another server) are the other server's to hold, and are kept as sent.
std::vector<std::string> target_ids(const json::object& entity, const Reference& ref, const TransactionReader& reader) {
  std::vector<std::string> ids;
  auto* v = entity.if_contains(ref.attribute);
  if (!v || v->is_null()) return ids;
  auto take = [&](const json::value& item, std::size_t index, bool in_array) {
    std::string where = ref.attribute + (in_array ? "[" + std::to_string(index) + "]" : "");
    if (ref.bare_id) {
      if (!item.is_string()) throw ApiError::invalid_attribute(where, "must be an id string");
      ids.emplace_back(item.get_string());
      return;
    }
    if (!item.is_object()) throw ApiError::invalid_attribute(where, "must be a reference object with an id");
    auto* id = item.get_object().if_contains("id");
    if (!id || !id->is_string() || id->get_string().empty())
      throw ApiError::invalid_attribute(where, "must have an 'id'");
    if (reader.is_external(item.get_object())) return;
    ids.emplace_back(id->get_string());
  };
  if (v->is_array()) {
    std::size_t i = 0;
    for (const auto& item : v->get_array()) take(item, i++, true);
  } else {
    take(*v, 0, false);
  }
  return ids;
}

std::string collection_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// Query values are percent-decoded and split on commas: encode everything but unreserved bytes.
std::string query_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

} // namespace

void check_references_exist(const json::object& entity, const std::vector<Reference>& references,
                            TransactionReader& reader) {
  for (const auto& ref : references)
    for (const auto& id : target_ids(entity, ref, reader))
      if (!reader.get(ref.target, id))
        throw ApiError(400, "INVALID_REFERENCE", "Reference to a missing entity",
                       ref.attribute + " refers to " + collection_name(ref.target) + " '" + id + "', which does not exist");
}

void check_not_referenced(const json::object& entity, const std::vector<ReferencingKind>& referrers,
                          TransactionReader& reader) {
  auto* idv = entity.if_contains("id");
  if (!idv || !idv->is_string()) return;
  std::string id(idv->get_string());
  for (const auto& r : referrers) {
    std::string query = r.reference.attribute + (r.reference.bare_id ? "=" : ".id=") + query_encode(id);
    if (auto n = reader.count(r.collection_path, query); n > 0)
      throw ApiError(409, "STILL_REFERENCED", "Entity still referenced",
                     std::to_string(n) + " " + collection_name(r.collection_path) + " still refer to it through '" +
                         r.reference.attribute + "'; remove those references first");
  }
}

} // namespace tmfd::catalog_module
