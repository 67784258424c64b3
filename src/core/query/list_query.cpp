#include "query/list_query.hpp"

#include <charconv>
#include <tmfd/error.hpp>

#include "utf8.hpp"

namespace tmfd::query {

namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes into `out`; false on a '%' not followed by two hex digits.
bool try_percent_decode(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      if (i + 2 >= s.size()) return false;  // needs two more characters
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
  }
  return true;
}

// Decoded bytes end up in JSON error bodies, SQL parameters and comparisons against UTF-8
// documents: anything that is not well-formed UTF-8 (or holds NUL, which C APIs truncate at)
// could only produce surprising matches or invalid output, so it is refused up front.
bool acceptable_text(std::string_view s) noexcept { return utf8::is_valid(s); }

[[noreturn]] void fail(const std::string& param, const std::string& what) {
  throw ApiError::bad_request("query parameter '" + param + "' " + what);
}

// Decodes one component of parameter `param` (the name used in the error message).
std::string decode_component(std::string_view raw, const std::string& param) {
  std::string out;
  if (!try_percent_decode(raw, out)) fail(param, "has a malformed percent escape");
  if (!acceptable_text(out)) fail(param, "is not valid UTF-8 text");
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    auto pos = s.find(sep);
    parts.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos) return parts;
    s.remove_prefix(pos + 1);
  }
}

bool is_segment_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '@' || c == '-';
}

bool valid_path(std::string_view path) noexcept {
  for (auto segment : split(path, '.')) {
    if (segment.empty()) return false;
    for (char c : segment)
      if (!is_segment_char(c)) return false;
  }
  return true;
}

void require_path(std::string_view path, const std::string& param) {
  if (path.empty()) fail(param, "names an empty attribute");
  if (!valid_path(path))
    fail(param, "has an invalid attribute name '" + std::string(path) +
                    "' (dotted segments of letters, digits, '_', '@' and '-')");
}

std::size_t parse_size(std::string_view raw, const std::string& param) {
  std::string text = decode_component(raw, param);
  std::size_t n = 0;
  // from_chars alone would accept nothing but digits anyway; the explicit check also rejects
  // a leading '-' or '+' with a clear message, and ec catches overflow.
  bool digits = !text.empty();
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  if (!digits) fail(param, "must be a non-negative integer");
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) fail(param, "is too large");
  return n;
}

// A comma list whose entries must all be present: "a,,b", "a," and "" are refused.
std::vector<std::string> decode_list(std::string_view raw, const std::string& param) {
  std::vector<std::string> items;
  for (auto part : split(raw, ',')) {
    if (part.empty()) fail(param, "has an empty value");
    items.push_back(decode_component(part, param));
  }
  return items;
}

std::vector<std::string> parse_fields(std::string_view raw, const std::string& param) {
  auto fields = decode_list(raw, param);
  for (const auto& f : fields) require_path(f, param);
  return fields;
}

// The sign is read from the raw text first: in a query string a literal '+' already means a
// space, so "sort=+name" would otherwise decode to " name". An encoded sign (%2B, %2D) is
// accepted too.
SortKey parse_sort_key(std::string_view raw, const std::string& param) {
  SortKey key;
  bool signed_raw = !raw.empty() && (raw.front() == '+' || raw.front() == '-');
  if (signed_raw) {
    key.descending = raw.front() == '-';
    raw.remove_prefix(1);
  }
  key.path = decode_component(raw, param);
  if (!key.path.empty() && (key.path.front() == '+' || key.path.front() == '-')) {
    if (signed_raw) fail(param, "has two signs before '" + key.path.substr(1) + "'");
    key.descending = key.path.front() == '-';
    key.path.erase(0, 1);
  }
  require_path(key.path, param);
  return key;
}

std::vector<SortKey> parse_sort(std::string_view raw, const std::string& param) {
  std::vector<SortKey> keys;
  for (auto part : split(raw, ',')) {
    if (part.empty()) fail(param, "has an empty value");
    keys.push_back(parse_sort_key(part, param));
  }
  return keys;
}

// "a.b.gt" -> path "a.b", op Gt. A single segment is always an attribute name, so an attribute
// literally called "gt" can still be filtered with "gt=...".
Filter parse_filter(const std::string& name, std::string_view raw_value) {
  Filter f;
  f.path = name;
  auto dot = name.rfind('.');
  if (dot != std::string::npos) {
    std::string_view suffix = std::string_view(name).substr(dot + 1);
    bool is_op = true;
    if (suffix == "eq") f.op = FilterOp::Eq;
    else if (suffix == "gt") f.op = FilterOp::Gt;
    else if (suffix == "gte") f.op = FilterOp::Gte;
    else if (suffix == "lt") f.op = FilterOp::Lt;
    else if (suffix == "lte") f.op = FilterOp::Lte;
    else is_op = false;
    if (is_op) f.path = name.substr(0, dot);
  }
  require_path(f.path, name);
  f.values = decode_list(raw_value, name);
  if (f.op != FilterOp::Eq && f.values.size() != 1) fail(name, "takes a single value");
  return f;
}

// Paging and projection parameters are single-valued: a repeat is more likely a client bug
// than an intent, and silently picking one would hide it.
void require_once(bool& seen, const std::string& param) {
  if (seen) fail(param, "must not be repeated");
  seen = true;
}

} // namespace

std::string percent_decode(std::string_view s) {
  std::string out;
  if (!try_percent_decode(s, out))
    throw ApiError::bad_request("malformed percent escape in '" + std::string(s) + "'");
  if (!acceptable_text(out)) throw ApiError::bad_request("percent-decoded text is not valid UTF-8");
  return out;
}

ListQuery parse_list_query(std::string_view raw_query) {
  ListQuery q;
  bool seen_offset = false, seen_limit = false, seen_fields = false, seen_sort = false;
  std::size_t values = 0;
  for (auto param : split(raw_query, '&')) {
    if (param.empty()) continue;  // "a=1&&b=2" or a trailing '&'
    auto eq = param.find('=');
    std::string_view raw_name = param.substr(0, eq);
    std::string name = decode_component(raw_name, std::string(raw_name));
    if (name.empty()) throw ApiError::bad_request("query parameter with an empty name");
    if (eq == std::string_view::npos) fail(name, "has no value");
    std::string_view raw_value = param.substr(eq + 1);
    if (raw_value.empty()) fail(name, "has an empty value");

    if (name == "offset") {
      require_once(seen_offset, name);
      q.offset = parse_size(raw_value, name);
    } else if (name == "limit") {
      require_once(seen_limit, name);
      q.limit = parse_size(raw_value, name);
    } else if (name == "fields") {
      require_once(seen_fields, name);
      q.fields = parse_fields(raw_value, name);
    } else if (name == "sort") {
      require_once(seen_sort, name);
      q.sort = parse_sort(raw_value, name);
    } else {
      q.filters.push_back(parse_filter(name, raw_value));
      values += q.filters.back().values.size();
      if (q.filters.size() > kMaxFilters)
        throw ApiError::bad_request("a query may hold at most " + std::to_string(kMaxFilters) + " attribute filters");
      if (values > kMaxFilterValues)
        throw ApiError::bad_request("a query's filters may hold at most " + std::to_string(kMaxFilterValues) +
                                    " values together");
    }
  }
  return q;
}

} // namespace tmfd::query
