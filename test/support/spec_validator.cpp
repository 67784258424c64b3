#include "spec_validator.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace tmfd::test {

namespace {

namespace json = boost::json;

// Schema-only cycles (A -> $ref B -> $ref A, or allOf loops) never consume
// any of the value being checked, so without a cap they would recurse
// forever. Real TMF payloads are nowhere near this deep.
constexpr int max_depth = 64;

constexpr std::string_view definitions_prefix = "#/definitions/";
// OpenAPI 3 documents (tmfd's own, GET {base}/openapi.json) keep their schemas here.
constexpr std::string_view components_prefix = "#/components/schemas/";

// Misspelled enum values in the published spec files, paired with the value
// that was clearly intended. Servers may emit either spelling.
struct EnumAlias {
    std::string_view published;
    std::string_view intended;
};
constexpr EnumAlias enum_aliases[] = {
    {"deceaded", "deceased"}, // TMF632 IndividualStateType
};

std::string_view trim(std::string_view s) {
    constexpr std::string_view blanks = " \t\r\n";
    const auto first = s.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(blanks);
    return s.substr(first, last - first + 1);
}

// The JSON Schema type name that best describes a value, for messages.
std::string_view kind_name(const json::value& v) {
    switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
    }
    return "unknown";
}

// Boost.JSON parses "3.0" as a double; JSON Schema still calls that an
// integer, so a zero fraction is accepted.
bool is_integral(const json::value& v) {
    if (v.is_int64() || v.is_uint64()) return true;
    if (!v.is_double()) return false;
    const double d = v.get_double();
    return std::isfinite(d) && std::trunc(d) == d;
}

// nullopt means the schema names a type this validator does not know.
std::optional<bool> matches_type(const json::value& v, std::string_view type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "boolean") return v.is_bool();
    if (type == "integer") return is_integral(v);
    if (type == "number") return v.is_number();
    return std::nullopt;
}

// ---- date-time (RFC 3339 "date-time" production) ----------------------

// Reads exactly `count` ASCII digits at `pos`.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t count, int& out) {
    if (pos + count > s.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    pos += count;
    return true;
}

bool read_char(std::string_view s, std::size_t& pos, char expected) {
    if (pos >= s.size() || s[pos] != expected) return false;
    ++pos;
    return true;
}

// RFC 3339 allows the 'T' and 'Z' letters in either case.
bool read_letter(std::string_view s, std::size_t& pos, char upper) {
    return read_char(s, pos, upper) || read_char(s, pos, static_cast<char>(upper - 'A' + 'a'));
}

int days_in_month(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

bool read_date(std::string_view s, std::size_t& pos) {
    int year = 0, month = 0, day = 0;
    if (!read_digits(s, pos, 4, year) || !read_char(s, pos, '-') ||
        !read_digits(s, pos, 2, month) || !read_char(s, pos, '-') ||
        !read_digits(s, pos, 2, day))
        return false;
    return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

// HH:MM:SS with an optional fraction; second 60 allows a leap second.
bool read_time(std::string_view s, std::size_t& pos) {
    int hour = 0, minute = 0, second = 0;
    if (!read_digits(s, pos, 2, hour) || !read_char(s, pos, ':') ||
        !read_digits(s, pos, 2, minute) || !read_char(s, pos, ':') ||
        !read_digits(s, pos, 2, second))
        return false;
    if (hour > 23 || minute > 59 || second > 60) return false;
    if (read_char(s, pos, '.')) {
        const std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return false;
    }
    return true;
}

// "Z" or "+hh:mm" / "-hh:mm". A missing offset is rejected: a local time
// without a zone is ambiguous and RFC 3339 does not allow it.
bool read_offset(std::string_view s, std::size_t& pos) {
    if (read_letter(s, pos, 'Z')) return true;
    if (!read_char(s, pos, '+') && !read_char(s, pos, '-')) return false;
    int hour = 0, minute = 0;
    if (!read_digits(s, pos, 2, hour) || !read_char(s, pos, ':') ||
        !read_digits(s, pos, 2, minute))
        return false;
    return hour <= 23 && minute <= 59;
}

bool is_date_time(std::string_view s) {
    std::size_t pos = 0;
    return read_date(s, pos) && read_letter(s, pos, 'T') && read_time(s, pos) &&
           read_offset(s, pos) && pos == s.size();
}

// ---- enum ---------------------------------------------------------------

// Published enum values are trimmed before comparing ("aborted " in the
// ProductStatusType of TMF622/TMF637) and known misspellings accept the
// intended word too. The exact published value is always accepted.
bool enum_accepts(const json::value& allowed, const json::value& v) {
    if (allowed == v) return true;
    if (!allowed.is_string() || !v.is_string()) return false;
    const std::string_view spec_value = trim(allowed.get_string());
    const std::string_view actual = v.get_string();
    if (spec_value == actual) return true;
    for (const auto& alias : enum_aliases)
        if (spec_value == alias.published && actual == alias.intended) return true;
    return false;
}

std::string describe_enum(const json::array& allowed) {
    std::string out = "[";
    for (std::size_t i = 0; i < allowed.size(); ++i) {
        if (i) out += ", ";
        out += json::serialize(allowed[i]);
    }
    return out + "]";
}

// ---- the recursive walk -------------------------------------------------

// Walks a value and a schema side by side, collecting problems. Paths use
// a JSONPath-like notation: "$", "$.name", "$.list[3]".
class Walker {
public:
    Walker(const json::object& definitions, std::vector<std::string>& problems)
        : definitions_(definitions), problems_(problems) {}

    void check(const json::value& v, const json::object& schema, const std::string& path,
               int depth) {
        if (depth > max_depth) {
            report(path, "schema nests deeper than " + std::to_string(max_depth) +
                             " levels (cyclic $ref?)");
            return;
        }
        // In Swagger 2.0 the siblings of a $ref (usually "description") are
        // ignored, so the reference replaces the whole schema.
        if (const auto* ref = schema.if_contains("$ref")) {
            if (const auto* target = resolve(*ref, path)) check(v, *target, path, depth + 1);
            return;
        }
        check_all_of(v, schema, path, depth);
        if (!check_type(v, schema, path)) return; // nested checks would only add noise
        check_enum(v, schema, path);
        check_format(v, schema, path);
        if (v.is_object()) check_object(v.get_object(), schema, path, depth);
        if (v.is_array()) check_array(v.get_array(), schema, path, depth);
    }

private:
    void report(const std::string& path, const std::string& what) {
        problems_.push_back(path + ": " + what);
    }

    const json::object* resolve(const json::value& ref, const std::string& path) {
        const auto* text = ref.if_string();
        const std::string_view target_text = text ? std::string_view(*text) : std::string_view();
        const std::string_view prefix = target_text.starts_with(definitions_prefix) ? definitions_prefix
                                        : target_text.starts_with(components_prefix) ? components_prefix
                                                                                     : std::string_view();
        if (text == nullptr || prefix.empty()) {
            report(path, "unsupported $ref " + json::serialize(ref));
            return nullptr;
        }
        // TMF definition names never contain '/' or '~', so no JSON Pointer
        // unescaping is needed.
        const std::string_view name = target_text.substr(prefix.size());
        const auto* target = definitions_.if_contains(name);
        if (target == nullptr || !target->is_object()) {
            report(path, "unresolvable $ref " + json::serialize(ref));
            return nullptr;
        }
        return &target->get_object();
    }

    void check_all_of(const json::value& v, const json::object& schema, const std::string& path,
                      int depth) {
        const auto* parts = schema.if_contains("allOf");
        if (parts == nullptr || !parts->is_array()) return;
        for (const auto& part : parts->get_array())
            if (part.is_object()) check(v, part.get_object(), path, depth + 1);
    }

    // Returns false when the value has the wrong type.
    bool check_type(const json::value& v, const json::object& schema, const std::string& path) {
        const auto* type = schema.if_contains("type");
        if (type == nullptr || !type->is_string()) return true;
        const std::string_view expected = type->get_string();
        const auto ok = matches_type(v, expected);
        if (!ok) {
            report(path, "schema uses unsupported type '" + std::string(expected) + "'");
            return true;
        }
        if (*ok) return true;
        report(path, "expected " + std::string(expected) + ", got " + std::string(kind_name(v)));
        return false;
    }

    void check_enum(const json::value& v, const json::object& schema, const std::string& path) {
        const auto* allowed = schema.if_contains("enum");
        if (allowed == nullptr || !allowed->is_array()) return;
        for (const auto& candidate : allowed->get_array())
            if (enum_accepts(candidate, v)) return;
        report(path, "value " + json::serialize(v) + " is not one of " +
                         describe_enum(allowed->get_array()));
    }

    // Only date-time is checked: it is the format servers most often get
    // wrong, while "uri" or "float" add little for the cost.
    void check_format(const json::value& v, const json::object& schema, const std::string& path) {
        const auto* format = schema.if_contains("format");
        if (format == nullptr || !format->is_string() || !v.is_string()) return;
        if (format->get_string() == "date-time" && !is_date_time(v.get_string()))
            report(path, "value " + json::serialize(v) + " is not an RFC 3339 date-time");
    }

    void check_required(const json::object& obj, const json::object& schema,
                        const std::string& path) {
        const auto* required = schema.if_contains("required");
        if (required == nullptr || !required->is_array()) return;
        for (const auto& name : required->get_array()) {
            if (!name.is_string()) continue;
            const auto* member = obj.if_contains(name.get_string());
            if (member == nullptr)
                report(path, "missing required property '" + std::string(name.get_string()) + "'");
            else if (member->is_null())
                report(path + "." + std::string(name.get_string()), "required property is null");
        }
    }

    // Unknown members are fine: TMF resources are extensible (@type and
    // polymorphic sub-classes add fields the base definition lacks).
    void check_object(const json::object& obj, const json::object& schema,
                      const std::string& path, int depth) {
        check_required(obj, schema, path);
        const auto* properties = schema.if_contains("properties");
        if (properties == nullptr || !properties->is_object()) return;
        for (const auto& [name, member] : obj) {
            // A null optional member is treated like an absent one; a null
            // required member was already reported by check_required.
            if (member.is_null()) continue;
            const auto* property = properties->get_object().if_contains(name);
            if (property == nullptr || !property->is_object()) continue;
            check(member, property->get_object(), path + "." + std::string(name), depth + 1);
        }
    }

    void check_array(const json::array& arr, const json::object& schema, const std::string& path,
                     int depth) {
        const auto* items = schema.if_contains("items");
        if (items == nullptr || !items->is_object()) return;
        for (std::size_t i = 0; i < arr.size(); ++i)
            check(arr[i], items->get_object(), path + "[" + std::to_string(i) + "]", depth + 1);
    }

    const json::object& definitions_;
    std::vector<std::string>& problems_;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("SpecValidator: cannot open " + path);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw std::runtime_error("SpecValidator: cannot read " + path);
    return std::move(text).str();
}

// The spec folder for a given project root, or "" if it does not exist.
std::string spec_dir_for_root(const std::filesystem::path& root) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path dir = root / ".." / "shared" / "tmf-specs";
    if (!fs::is_directory(dir, ec)) return {};
    const fs::path clean = fs::canonical(dir, ec); // drop the ".." for nicer messages
    return ec ? dir.string() : clean.string();
}

} // namespace

SpecValidator::SpecValidator(boost::json::object definitions)
    : definitions_(std::move(definitions)) {}

SpecValidator SpecValidator::load(const std::string& swagger_path) {
    boost::system::error_code ec;
    json::value doc = json::parse(read_file(swagger_path), ec);
    if (ec)
        throw std::runtime_error("SpecValidator: " + swagger_path + " is not valid JSON: " +
                                 ec.message());
    auto* definitions = doc.is_object() ? doc.get_object().if_contains("definitions") : nullptr;
    if (definitions == nullptr || !definitions->is_object())
        throw std::runtime_error("SpecValidator: " + swagger_path + " has no definitions object");
    return SpecValidator(std::move(definitions->get_object()));
}

SpecValidator SpecValidator::from_openapi(const boost::json::value& document) {
    const auto* components = document.is_object() ? document.get_object().if_contains("components") : nullptr;
    const auto* schemas = components && components->is_object() ? components->get_object().if_contains("schemas") : nullptr;
    if (schemas == nullptr || !schemas->is_object())
        throw std::runtime_error("SpecValidator: the OpenAPI document has no components.schemas object");
    return SpecValidator(schemas->get_object());
}

std::vector<std::string> SpecValidator::validate(const boost::json::value& v,
                                                 const std::string& definition) const {
    std::vector<std::string> problems;
    const auto* schema = definitions_.if_contains(definition);
    if (schema == nullptr || !schema->is_object()) {
        problems.push_back("unknown definition '" + definition + "'");
        return problems;
    }
    Walker(definitions_, problems).check(v, schema->get_object(), "$", 0);
    return problems;
}

bool SpecValidator::has_definition(const std::string& name) const {
    return definitions_.contains(name);
}

std::string find_spec_dir() {
#ifdef TMFD_SOURCE_DIR
    return spec_dir_for_root(std::filesystem::path(TMFD_SOURCE_DIR));
#else
    // No configured root: try the current directory and each ancestor, so a
    // test run from build/ or build/test/ still finds the shared folder.
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::current_path(ec);
    if (ec) return {};
    for (;;) {
        if (auto found = spec_dir_for_root(dir); !found.empty()) return found;
        if (dir == dir.parent_path()) return {};
        dir = dir.parent_path();
    }
#endif
}

} // namespace tmfd::test
