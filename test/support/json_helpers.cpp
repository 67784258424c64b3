#include "json_helpers.hpp"

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

namespace tmfd::test {

namespace json = boost::json;

std::string str(const json::object& o, const std::string& key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

namespace {

// The response body parsed; REQUIREs that it is JSON.
json::value parsed_body(const HttpResponse& r) {
  json::value v;
  REQUIRE_NOTHROW(v = r.json());
  return v;
}

} // namespace

json::object as_object(const HttpResponse& r) {
  INFO(r.body);
  auto v = parsed_body(r);
  REQUIRE(v.is_object());
  return v.as_object();
}

json::array as_array(const HttpResponse& r) {
  INFO(r.body);
  auto v = parsed_body(r);
  REQUIRE(v.is_array());
  return v.as_array();
}

json::object require_object(const HttpResponse& r, int status, const std::string& context) {
  INFO(context << ": " << r.body);
  REQUIRE(r.status == status);
  return as_object(r);
}

std::string id_of(const HttpResponse& r) { return std::string(r.json().at("id").as_string()); }

json::object obj(const char* text) { return json::parse(text).as_object(); }

json::object with(json::object base, const json::object& extra) {
  for (const auto& kv : extra) base[kv.key()] = kv.value();
  return base;
}

json::object without(json::object base, const std::string& key) {
  base.erase(key);
  return base;
}

} // namespace tmfd::test
