#include "resource/projection.hpp"

#include <map>
#include <optional>
#include <string_view>

namespace tmfd::resource {

namespace {

// The requested fields as a tree: "a.b" and "a.c" share the node a. A node marked whole keeps
// its attribute entirely, whatever sub-attributes were also asked for.
struct FieldTree {
  bool whole = false;
  std::map<std::string, FieldTree, std::less<>> children;
};

bool has_empty_segment(std::string_view dotted) {
  return dotted.empty() || dotted.front() == '.' || dotted.back() == '.' ||
         dotted.find("..") != std::string_view::npos;
}

void insert(FieldTree& root, std::string_view dotted) {
  // Entries are validated by the query parser; one that still has an empty segment can name no
  // attribute, so it is ignored whole (rather than leaving its valid prefix behind as {}).
  if (has_empty_segment(dotted)) return;
  FieldTree* node = &root;
  for (;;) {
    auto dot = dotted.find('.');
    node = &node->children[std::string(dotted.substr(0, dot))];
    if (dot == std::string_view::npos) {
      node->whole = true;
      return;
    }
    dotted.remove_prefix(dot + 1);
  }
}

json::object project_object(const json::object& obj, const FieldTree& tree);

// A value restricted to the sub-attributes in `tree` (which is not whole), or nothing when the
// value cannot have sub-attributes.
std::optional<json::value> project_value(const json::value& v, const FieldTree& tree) {
  if (v.is_object()) return json::value(project_object(v.get_object(), tree));
  if (!v.is_array()) return std::nullopt;
  json::array out;
  for (const auto& item : v.get_array())
    if (auto projected = project_value(item, tree)) out.push_back(std::move(*projected));
  return json::value(std::move(out));
}

json::object project_object(const json::object& obj, const FieldTree& tree) {
  json::object out;
  for (const auto& m : obj) {
    auto it = tree.children.find(std::string_view(m.key()));
    if (it == tree.children.end()) continue;
    if (it->second.whole) {
      out.emplace(m.key(), m.value());
    } else if (auto projected = project_value(m.value(), it->second)) {
      out.emplace(m.key(), std::move(*projected));
    }
  }
  return out;
}

} // namespace

json::object project_fields(const json::object& resource, const std::vector<std::string>& fields) {
  if (fields.empty()) return resource;
  FieldTree tree;
  for (const auto& f : fields) insert(tree, f);
  for (const char* always : {"id", "href", "@type"}) tree.children[always].whole = true;
  return project_object(resource, tree);
}

} // namespace tmfd::resource
