#include "resource/patch.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <tmfd/error.hpp>

namespace tmfd::resource {

// ---------------------------------------------------------------------------------------------
// RFC 7396 JSON Merge Patch
// ---------------------------------------------------------------------------------------------

namespace {

// A patch object merged into nothing: nulls mean "absent", so they are dropped rather than
// stored (RFC 7396: {"a":{"b":null}} applied to {} gives {"a":{}}).
json::value strip_nulls(const json::value& v) {
  if (!v.is_object()) return v;
  json::object out;
  for (const auto& m : v.get_object())
    if (!m.value().is_null()) out.emplace(m.key(), strip_nulls(m.value()));
  return out;
}

} // namespace

void apply_merge_patch(json::object& target, const json::object& patch) {
  for (const auto& m : patch) {
    const json::value& v = m.value();
    if (v.is_null()) {
      target.erase(m.key());
      continue;
    }
    auto it = target.find(m.key());
    if (v.is_object() && it != target.end() && it->value().is_object()) {
      apply_merge_patch(it->value().get_object(), v.get_object());
    } else {
      target.insert_or_assign(m.key(), strip_nulls(v));
    }
  }
}

void apply_merge_patch(json::object& target, const json::value& patch) {
  if (!patch.is_object()) throw ApiError::bad_request("a merge patch must be a JSON object");
  apply_merge_patch(target, patch.get_object());
}

// ---------------------------------------------------------------------------------------------
// RFC 6902 JSON Patch
// ---------------------------------------------------------------------------------------------

namespace {

using Pointer = std::vector<std::string>;  // unescaped reference tokens; empty: whole document

enum class OpKind { Add, Remove, Replace, Move, Copy, Test };

struct Operation {
  OpKind kind;
  std::string label;              // "operation at index 2 (replace /a/b)" for error messages
  Pointer path;
  Pointer from;                   // move and copy only
  const json::value* value = nullptr;  // add, replace and test only; points into the patch
};

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw ApiError::bad_request("JSON Patch " + where + ": " + what);
}

// RFC 6901: "" is the whole document, otherwise '/'-separated tokens where "~1" stands for '/'
// and "~0" for '~'; any other '~' sequence is malformed.
Pointer parse_pointer(std::string_view text, const std::string& where, const char* member) {
  Pointer tokens;
  if (text.empty()) return tokens;
  if (text.front() != '/')
    bad(where, std::string("'") + member + "' must be empty or start with '/'");
  text.remove_prefix(1);
  std::string token;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      tokens.push_back(std::move(token));
      token.clear();
    } else if (text[i] == '~') {
      char next = i + 1 < text.size() ? text[i + 1] : '\0';
      if (next != '0' && next != '1')
        bad(where, std::string("'") + member + "' has a '~' not followed by 0 or 1");
      token.push_back(next == '0' ? '~' : '/');
      ++i;
    } else {
      token.push_back(text[i]);
    }
  }
  return tokens;
}

std::string required_string(const json::object& op, const char* member, const std::string& where) {
  const json::value* v = op.if_contains(member);
  if (!v) bad(where, std::string("missing '") + member + "'");
  if (!v->is_string()) bad(where, std::string("'") + member + "' must be a string");
  return std::string(v->get_string());
}

std::optional<OpKind> op_kind(std::string_view name) {
  if (name == "add") return OpKind::Add;
  if (name == "remove") return OpKind::Remove;
  if (name == "replace") return OpKind::Replace;
  if (name == "move") return OpKind::Move;
  if (name == "copy") return OpKind::Copy;
  if (name == "test") return OpKind::Test;
  return std::nullopt;
}

Operation parse_operation(const json::value& raw, std::size_t index) {
  std::string where = "operation at index " + std::to_string(index);
  if (!raw.is_object()) bad(where, "must be a JSON object");
  const json::object& o = raw.get_object();
  std::string name = required_string(o, "op", where);
  auto kind = op_kind(name);
  if (!kind) bad(where, "unknown op '" + name + "'");
  std::string path_text = required_string(o, "path", where);

  Operation op{*kind, where + " (" + name + " " + path_text + ")", {}, {}, nullptr};
  op.path = parse_pointer(path_text, where, "path");
  if (op.kind == OpKind::Move || op.kind == OpKind::Copy)
    op.from = parse_pointer(required_string(o, "from", where), where, "from");
  if (op.kind == OpKind::Add || op.kind == OpKind::Replace || op.kind == OpKind::Test) {
    // Presence matters, not the value: {"value": null} is a legitimate null.
    op.value = o.if_contains("value");
    if (!op.value) bad(where, "missing 'value'");
  }
  return op;
}

std::vector<Operation> parse_patch(const json::value& patch) {
  if (!patch.is_array()) throw ApiError::bad_request("a JSON Patch document must be a JSON array");
  std::vector<Operation> ops;
  const auto& arr = patch.get_array();
  if (arr.size() > kMaxJsonPatchOperations)
    throw ApiError::bad_request("a JSON Patch document may hold at most " +
                                std::to_string(kMaxJsonPatchOperations) + " operations");
  ops.reserve(arr.size());
  for (std::size_t i = 0; i < arr.size(); ++i) ops.push_back(parse_operation(arr[i], i));
  return ops;
}

// RFC 6901 array index: "0" or digits without a leading zero. "-" (past the end) is handled by
// the callers that accept it.
std::optional<std::size_t> array_index(const std::string& token) {
  if (token.empty() || (token.size() > 1 && token.front() == '0')) return std::nullopt;
  if (!std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), n);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return n;
}

// The value a pointer (or its first `depth` tokens) refers to, or nullptr if there is none.
json::value* resolve(json::value& root, const Pointer& ptr, std::size_t depth) {
  json::value* cur = &root;
  for (std::size_t i = 0; i < depth; ++i) {
    const std::string& token = ptr[i];
    if (cur->is_object()) {
      cur = cur->get_object().if_contains(token);
    } else if (cur->is_array()) {
      auto idx = array_index(token);
      auto& arr = cur->get_array();
      cur = idx && *idx < arr.size() ? &arr[*idx] : nullptr;
    } else {
      cur = nullptr;
    }
    if (!cur) return nullptr;
  }
  return cur;
}

json::value* resolve(json::value& root, const Pointer& ptr) {
  return resolve(root, ptr, ptr.size());
}

// The container holding the pointer's last token; 400 when it does not exist.
json::value& parent_of(json::value& root, const Pointer& ptr, const std::string& label) {
  json::value* parent = resolve(root, ptr, ptr.size() - 1);
  if (!parent) bad(label, "the parent of the path does not exist");
  if (!parent->is_object() && !parent->is_array())
    bad(label, "the parent of the path is neither an object nor an array");
  return *parent;
}

void add_value(json::value& root, const Pointer& path, json::value v, const std::string& label) {
  if (path.empty()) {
    root = std::move(v);
    return;
  }
  json::value& parent = parent_of(root, path, label);
  const std::string& last = path.back();
  if (parent.is_object()) {
    parent.get_object().insert_or_assign(last, std::move(v));
    return;
  }
  auto& arr = parent.get_array();
  if (last == "-") {
    arr.push_back(std::move(v));
    return;
  }
  auto idx = array_index(last);
  // Adding may target one past the last element (same as "-"), but no further.
  if (!idx || *idx > arr.size()) bad(label, "array index '" + last + "' is out of range");
  arr.insert(arr.begin() + static_cast<std::ptrdiff_t>(*idx), std::move(v));
}

json::value remove_value(json::value& root, const Pointer& path, const std::string& label) {
  if (path.empty()) bad(label, "cannot remove the whole resource");
  json::value& parent = parent_of(root, path, label);
  const std::string& last = path.back();
  if (parent.is_object()) {
    auto& obj = parent.get_object();
    auto it = obj.find(last);
    if (it == obj.end()) bad(label, "the path does not exist");
    json::value removed = std::move(it->value());
    obj.erase(it);
    return removed;
  }
  auto& arr = parent.get_array();
  auto idx = array_index(last);
  if (!idx || *idx >= arr.size()) bad(label, "the path does not exist");
  json::value removed = std::move(arr[*idx]);
  arr.erase(arr.begin() + static_cast<std::ptrdiff_t>(*idx));
  return removed;
}

json::value& existing(json::value& root, const Pointer& ptr, const std::string& label,
                      const char* member) {
  json::value* v = resolve(root, ptr);
  if (!v) bad(label, std::string("'") + member + "' does not exist");
  return *v;
}

// RFC 6902 section 4.6 equality: numbers compare by value whatever their JSON representation
// (1 equals 1.0), objects regardless of member order.
bool json_equal(const json::value& a, const json::value& b);

bool numbers_equal(const json::value& a, const json::value& b) {
  if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
  if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
  if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
  const json::value& s = a.is_int64() ? a : b;  // one signed, one unsigned
  const json::value& u = a.is_int64() ? b : a;
  return s.get_int64() >= 0 && static_cast<std::uint64_t>(s.get_int64()) == u.get_uint64();
}

bool objects_equal(const json::object& a, const json::object& b) {
  if (a.size() != b.size()) return false;
  for (const auto& m : a) {
    const json::value* other = b.if_contains(m.key());
    if (!other || !json_equal(m.value(), *other)) return false;
  }
  return true;
}

bool arrays_equal(const json::array& a, const json::array& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!json_equal(a[i], b[i])) return false;
  return true;
}

bool json_equal(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return numbers_equal(a, b);
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
  case json::kind::object: return objects_equal(a.get_object(), b.get_object());
  case json::kind::array: return arrays_equal(a.get_array(), b.get_array());
  case json::kind::string: return a.get_string() == b.get_string();
  case json::kind::bool_: return a.get_bool() == b.get_bool();
  default: return true;  // null
  }
}

bool is_proper_prefix(const Pointer& prefix, const Pointer& of) {
  return prefix.size() < of.size() && std::equal(prefix.begin(), prefix.end(), of.begin());
}

// Roughly the length of v serialized (escapes aside), counting no further than `cap`: enough to
// keep a document's size in check without serializing it after every operation.
std::size_t approximate_size(const json::value& v, std::size_t cap) {
  std::size_t n = 0;
  auto walk = [&](auto& self, const json::value& x) -> void {
    if (n > cap) return;
    switch (x.kind()) {
    case json::kind::string: n += x.get_string().size() + 2; break;
    case json::kind::object:
      n += 2;
      for (const auto& m : x.get_object()) {
        n += m.key().size() + 4;
        self(self, m.value());
        if (n > cap) return;
      }
      break;
    case json::kind::array:
      n += 2;
      for (const auto& item : x.get_array()) {
        n += 1;
        self(self, item);
        if (n > cap) return;
      }
      break;
    case json::kind::double_: n += 24; break;
    case json::kind::int64:
    case json::kind::uint64: n += 20; break;
    case json::kind::bool_: n += 5; break;
    case json::kind::null: n += 4; break;
    }
  };
  walk(walk, v);
  return n;
}

// Keeps the running size of a document under patch: every operation that adds adds the size of
// what it adds, every one that removes or replaces takes off what it drops. A patch that would
// grow the document past the limit is refused at that operation, before it does the work (a
// "copy from the root" repeated doubles the document each time).
class SizeBudget {
public:
  SizeBudget(const json::value& doc, std::size_t limit) : limit_(limit), size_(approximate_size(doc, limit)) {}

  void grow(const json::value& v, const std::string& label) {
    size_ += approximate_size(v, limit_);
    if (size_ > limit_)
      throw ApiError(413, "RESOURCE_TOO_LARGE", "Resource too large",
                     label + ": the resource would exceed " + std::to_string(limit_) + " bytes");
  }
  void shrink(const json::value* v) {
    if (!v) return;
    auto n = approximate_size(*v, limit_);
    size_ = n > size_ ? 0 : size_ - n;
  }

private:
  std::size_t limit_;
  std::size_t size_;
};

// The value an add at `path` would replace: an object member of that name (array adds insert).
const json::value* replaced_by_add(json::value& doc, const Pointer& path) {
  if (path.empty()) return &doc;
  json::value* parent = resolve(doc, path, path.size() - 1);
  if (!parent || !parent->is_object()) return nullptr;
  return parent->get_object().if_contains(path.back());
}

// Levels of arrays and objects, counted as the JSON parser counts them (a scalar is 0). Stops
// counting past kMaxJsonDepth + 1: a copy into itself repeated can nest a document deeply.
std::size_t nesting_depth(const json::value& v, std::size_t above = 0) {
  if (!v.is_object() && !v.is_array()) return above;
  const std::size_t here = above + 1;
  if (here > kMaxJsonDepth) return here;
  std::size_t deepest = here;
  if (v.is_object())
    for (const auto& m : v.get_object()) deepest = std::max(deepest, nesting_depth(m.value(), here));
  else
    for (const auto& item : v.get_array()) deepest = std::max(deepest, nesting_depth(item, here));
  return deepest;
}

void account(json::value& doc, const Operation& op, SizeBudget& budget) {
  switch (op.kind) {
  case OpKind::Add:
    budget.shrink(replaced_by_add(doc, op.path));
    budget.grow(*op.value, op.label);
    break;
  case OpKind::Replace:
    budget.shrink(resolve(doc, op.path));
    budget.grow(*op.value, op.label);
    break;
  case OpKind::Remove: budget.shrink(resolve(doc, op.path)); break;
  case OpKind::Copy:
    if (const json::value* from = resolve(doc, op.from)) {
      budget.shrink(replaced_by_add(doc, op.path));
      budget.grow(*from, op.label);
    }
    break;
  case OpKind::Move:
  case OpKind::Test: break;
  }
}

void apply_one(json::value& doc, const Operation& op) {
  switch (op.kind) {
  case OpKind::Add: add_value(doc, op.path, *op.value, op.label); break;
  case OpKind::Remove: remove_value(doc, op.path, op.label); break;
  case OpKind::Replace:
    existing(doc, op.path, op.label, "path") = *op.value;
    break;
  case OpKind::Move:
    if (is_proper_prefix(op.from, op.path)) bad(op.label, "cannot move a value into itself");
    if (op.from == op.path) {
      existing(doc, op.from, op.label, "from");  // a no-op, but 'from' must still exist
      break;
    }
    add_value(doc, op.path, remove_value(doc, op.from, op.label), op.label);
    break;
  case OpKind::Copy: {
    json::value copy = existing(doc, op.from, op.label, "from");  // copied before add reshapes doc
    add_value(doc, op.path, std::move(copy), op.label);
    break;
  }
  case OpKind::Test: {
    json::value* actual = resolve(doc, op.path);
    if (!actual || !json_equal(*actual, *op.value))
      throw ApiError(409, "PATCH_TEST_FAILED", "Patch test failed",
                     op.label + ": " + (actual ? "the value differs" : "the path does not exist"));
    break;
  }
  }
}

} // namespace

void apply_json_patch(json::object& target, const json::value& patch, std::size_t max_document_bytes) {
  std::vector<Operation> ops = parse_patch(patch);  // a malformed document changes nothing
  // Work on a copy and swap it in only at the end: that is what makes the patch atomic.
  json::value doc(target);
  SizeBudget budget(doc, max_document_bytes);
  for (const auto& op : ops) {
    account(doc, op, budget);
    apply_one(doc, op);
  }
  if (!doc.is_object()) throw ApiError::bad_request("JSON Patch: the resource must remain a JSON object");
  if (nesting_depth(doc) > kMaxJsonDepth)
    throw ApiError::bad_request("JSON Patch: the resource would nest deeper than " + std::to_string(kMaxJsonDepth) +
                                " levels");
  target = std::move(doc.get_object());
}

std::vector<std::string> json_patch_top_level_targets(const json::value& patch) {
  std::vector<std::string> names;
  auto note = [&names](const Pointer& ptr) {
    std::string first = ptr.empty() ? std::string() : ptr.front();
    if (std::find(names.begin(), names.end(), first) == names.end()) names.push_back(first);
  };
  for (const auto& op : parse_patch(patch)) {
    if (op.kind == OpKind::Test) continue;
    if (op.kind == OpKind::Move) note(op.from);
    note(op.path);
  }
  return names;
}

} // namespace tmfd::resource
