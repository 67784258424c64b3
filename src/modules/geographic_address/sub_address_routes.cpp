#include "sub_address_routes.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>
#include <vector>

#include <tmfd/error.hpp>

#include "address_kinds.hpp"

namespace tmfd::geographic_address {

namespace {

// What a client may ask of a list of sub-addresses: the spec's fields, offset and limit, and
// TMF630 equality filters (comma = OR) on their attributes.
struct SubAddressQuery {
  std::size_t offset = 0;
  std::optional<std::size_t> limit;
  std::vector<std::string> fields;  // empty: every attribute
  std::vector<std::pair<std::string, std::vector<std::string>>> filters;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s, const std::string& parameter) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      const int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) throw ApiError::bad_request("query parameter '" + parameter + "' has a malformed %-escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = s.find(sep, start);
    parts.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::size_t parse_size(const std::string& value, const std::string& name) {
  std::size_t n = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc() || p != value.data() + value.size())
    throw ApiError::bad_request("query parameter '" + name + "' must be a non-negative integer");
  return n;
}

SubAddressQuery parse_query(std::string_view raw, bool one_resource) {
  SubAddressQuery q;
  std::set<std::string> seen;
  for (const auto& part : split(std::string(raw), '&')) {
    if (part.empty()) continue;
    const auto eq = part.find('=');
    const std::string name = decode(part.substr(0, eq), part.substr(0, eq));
    const std::string value = eq == std::string::npos ? std::string() : decode(part.substr(eq + 1), name);
    if (one_resource && name != "fields") throw ApiError::bad_request("only 'fields' applies when reading one resource");
    if (name == "fields" || name == "offset" || name == "limit" || name == "sort") {
      if (!seen.insert(name).second) throw ApiError::bad_request("query parameter '" + name + "' is given twice");
    }
    if (name == "fields") {
      for (auto& f : split(value, ','))
        if (!f.empty()) q.fields.push_back(std::move(f));
    } else if (name == "offset") {
      q.offset = parse_size(value, name);
    } else if (name == "limit") {
      q.limit = parse_size(value, name);
    } else if (name == "sort") {
      throw ApiError::bad_request("query parameter 'sort' is not supported on sub-addresses: they keep their address's order");
    } else if (name.empty() || name.find('.') != std::string::npos || eq == std::string::npos) {
      throw ApiError::bad_request("query parameter '" + name +
                                  "': sub-addresses take equality filters on their own attributes (name=value)");
    } else {
      q.filters.emplace_back(name, split(value, ','));
    }
  }
  return q;
}

bool matches(const json::object& sub, const SubAddressQuery& q) {
  for (const auto& [attribute, values] : q.filters) {
    const json::value* v = sub.if_contains(attribute);
    if (!v || !v->is_string()) return false;
    if (std::find(values.begin(), values.end(), std::string(v->get_string())) == values.end()) return false;
  }
  return true;
}

// fields= projection as the engine applies it: id, href and @type are always kept.
json::object project(const json::object& sub, const std::vector<std::string>& fields) {
  if (fields.empty()) return sub;
  json::object out;
  for (const auto& [k, v] : sub)
    if (k == "id" || k == "href" || k == "@type" || std::find(fields.begin(), fields.end(), k) != fields.end())
      out.emplace(k, v);
  return out;
}

json::array sub_addresses_of(Resources& resources, const std::string& address_id) {
  auto found = resources.get(kAddresses, address_id);
  if (!found) throw ApiError::not_found("GeographicAddress '" + address_id + "' does not exist");
  json::object address = parse_object(found->body);
  json::value* subs = address.if_contains("geographicSubAddress");
  return subs && subs->is_array() ? std::move(subs->get_array()) : json::array();
}

} // namespace

void add_sub_address_routes(http::RouteRegistry& routes, Resources& resources) {
  const std::string collection = kAddresses + "/{id}/geographicSubAddress";

  routes.add(http::Method::Get, collection, [&resources](http::Request& req, http::Reply reply) {
    const std::string address_id(req.param("id"));
    json::array subs = sub_addresses_of(resources, address_id);
    const SubAddressQuery q = parse_query(req.query, false);
    json::array page;
    std::size_t total = 0;
    for (const auto& sub : subs) {
      if (!sub.is_object() || !matches(sub.get_object(), q)) continue;
      const std::size_t position = total++;
      if (position < q.offset || (q.limit && page.size() >= *q.limit)) continue;
      page.emplace_back(project(sub.get_object(), q.fields));
    }
    auto resp = http::Response::json(200, json::serialize(page));
    resp.headers.emplace_back("X-Total-Count", std::to_string(total));
    resp.headers.emplace_back("X-Result-Count", std::to_string(page.size()));
    reply(std::move(resp));
  }, http::RouteInfo{kApi, "geographicSubAddress", "list"});

  routes.add(http::Method::Get, collection + "/{subId}", [&resources](http::Request& req, http::Reply reply) {
    const std::string address_id(req.param("id"));
    const std::string sub_id(req.param("subId"));
    const SubAddressQuery q = parse_query(req.query, true);
    for (const auto& sub : sub_addresses_of(resources, address_id)) {
      if (!sub.is_object()) continue;
      const json::value* id = sub.get_object().if_contains("id");
      if (id && id->is_string() && id->get_string() == sub_id) {
        reply(http::Response::json(200, json::serialize(project(sub.get_object(), q.fields))));
        return;
      }
    }
    throw ApiError::not_found("GeographicSubAddress '" + sub_id + "' does not exist in GeographicAddress '" +
                              address_id + "'");
  }, http::RouteInfo{kApi, "geographicSubAddress", "get"});
}

} // namespace tmfd::geographic_address
